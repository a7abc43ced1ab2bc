package lualib

import (
	"testing"
)

func BenchmarkPcallErr(b *testing.B) {
	s, err := NewState(&Env{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	if err := s.DoString(`for i = 1, 5000 do pcall(error, "x") end`, "x"); err != nil {
		b.Fatal(err)
	}
}
