# A million hash keys: finishes only when a Hash looks its keys up by hash.
h = {}
1_000_000.times { |i| h[i] = i * 2 }
found = 0
1_000_000.times { |i| found += 1 if h[i * 3] }
puts "#{h.size} #{found}"
