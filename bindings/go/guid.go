package vssapi

/*
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// GUID is a Windows GUID, laid out as vss_guid.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// NewGUID is a random (version 4) GUID.
func NewGUID() GUID {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("vssapi: crypto/rand: " + err.Error())
	}
	b[6] = b[6]&0x0F | 0x40
	b[8] = b[8]&0x3F | 0x80
	g := GUID{
		Data1: uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]),
		Data2: uint16(b[4])<<8 | uint16(b[5]),
		Data3: uint16(b[6])<<8 | uint16(b[7]),
	}
	copy(g.Data4[:], b[8:])
	return g
}

// ParseGUID reads "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", with or without braces.
func ParseGUID(s string) (GUID, error) {
	t := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if len(t) != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
		return GUID{}, fmt.Errorf("vssapi: %q is not a GUID", s)
	}
	b, err := hex.DecodeString(t[0:8] + t[9:13] + t[14:18] + t[19:23] + t[24:])
	if err != nil {
		return GUID{}, fmt.Errorf("vssapi: %q is not a GUID", s)
	}
	g := GUID{
		Data1: uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]),
		Data2: uint16(b[4])<<8 | uint16(b[5]),
		Data3: uint16(b[6])<<8 | uint16(b[7]),
	}
	copy(g.Data4[:], b[8:])
	return g, nil
}

// MustParseGUID is ParseGUID for constants; it panics on a malformed string.
func MustParseGUID(s string) GUID {
	g, err := ParseGUID(s)
	if err != nil {
		panic(err)
	}
	return g
}

// String is the registry form, "{5E1F0001-1111-2222-8001-020304050607}".
func (g GUID) String() string {
	return fmt.Sprintf("{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g.Data1, g.Data2, g.Data3,
		g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7])
}

// IsZero reports whether g is GUID_NULL.
func (g GUID) IsZero() bool { return g == GUID{} }

func (g GUID) c() C.vss_guid {
	var out C.vss_guid
	out.data1 = C.uint32_t(g.Data1)
	out.data2 = C.uint16_t(g.Data2)
	out.data3 = C.uint16_t(g.Data3)
	for i, b := range g.Data4 {
		out.data4[i] = C.uint8_t(b)
	}
	return out
}

func guidOf(c *C.vss_guid) GUID {
	g := GUID{Data1: uint32(c.data1), Data2: uint16(c.data2), Data3: uint16(c.data3)}
	for i := range g.Data4 {
		g.Data4[i] = byte(c.data4[i])
	}
	return g
}
