# Blocks over ranges and arrays: map, select, sum and each_with_index.
list = (1..200_000).map { |x| x * 3 }
evens = list.select { |x| x.even? }
total = evens.sum { |x| x / 2 }
weighted = 0
list.each_with_index { |x, i| weighted += x if i % 7 == 0 }
puts "#{evens.size} #{total} #{weighted} #{(1..100_000).reduce(0) { |acc, x| acc + x % 13 }}"
