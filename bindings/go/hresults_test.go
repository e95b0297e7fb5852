package vssapi

import "testing"

// Every constant carries the value the library knows under the same name.
func TestHResultNames(t *testing.T) {
	for _, c := range hresultNames {
		if got := c.hr.Name(); got != c.name {
			t.Errorf("%s is 0x%08X, which the library calls %s", c.name, uint32(c.hr), got)
		}
	}
}
