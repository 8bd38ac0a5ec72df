module tlslens.io/bench/load/hsclient

go 1.19
