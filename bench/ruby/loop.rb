# Integer loops: a while loop of a million additions, and times with a block.
i = 0
sum = 0
while i < 1_000_000
  sum += i
  i += 1
end
odd = 0
500_000.times { |k| odd += 1 if k.odd? }
puts "#{sum} #{odd}"
