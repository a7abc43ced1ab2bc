local x = 1
if x then
  print "a" print
end
