# String building: <<, interpolation, join, and gsub/upcase on the result.
s = +""
100_000.times { |i| s << "item #{i}, " }
parts = (1..50_000).map { |i| "w#{i % 97}" }
line = parts.join(" ")
words = line.split(" ")
puts "#{s.size} #{line.size} #{words.uniq.size} #{s[0, 20].upcase} #{line.count("w")}"
