# A queue pushed at the back and shifted at the front, as a breadth-first walk
# uses one: each shift constant time, as Ruby's.
queue = (1..300_000).to_a
seen = 0
total = 0
while (x = queue.shift)
  seen += 1
  total += x
  queue.push(x / 3) if x % 3 == 0 && x > 3
end
puts "#{seen} #{total}"
