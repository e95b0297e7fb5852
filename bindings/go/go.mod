module openvss.dev/vssapi

go 1.19
