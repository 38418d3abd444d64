# A seed script making 10,000 records: 1,000 users with 9 tweets each.
1000.times do |i|
  u = User.create!(username: "user#{i}", email: "user#{i}@example.com")
  9.times { |j| u.tweets.create!(content: "tweet #{j} from user#{i}") }
end
puts "#{User.count} #{Tweet.count}"
