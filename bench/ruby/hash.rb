# Hash updates: counting into a thousand keys, Hash.new(0) and ||=.
h = {}
200_000.times { |k| h[k % 1000] = (h[k % 1000] || 0) + 1 }
counts = Hash.new(0)
200_000.times { |k| counts["key#{k % 500}"] += 1 }
groups = {}
100_000.times { |k| (groups[k % 100] ||= []) << k }
puts "#{h.size} #{h[7]} #{counts.size} #{counts["key3"]} #{groups[42].size}"
