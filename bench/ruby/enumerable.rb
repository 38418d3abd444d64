# group_by, tally and sort_by over 100,000 elements.
items = (1..100_000).map { |i| [i % 37, (i * 7919) % 100_003] }
by_key = items.group_by { |k, _| k }
tally = items.map(&:first).tally
sorted = items.sort_by { |_, v| v }
top = items.max_by(5) { |_, v| v }
puts "#{by_key.size} #{by_key[3].size} #{tally[5]} #{sorted.first.inspect} #{sorted.last.inspect} #{top.size}"
