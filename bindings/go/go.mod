module openvss.dev/openvss/bindings/go

go 1.19
