// hsclient: the load client of bench/load/run.sh (standard library only).
//
//	hsclient -addr 127.0.0.1:9443 -c 50 -d 10s        full handshakes: connect, TLS 1.3 handshake with no session
//	                                                   cache (never resumes), GET /small, read it, close; repeat
//	hsclient -addr 127.0.0.1:9443 -c 200 -rate 900 -d 10s
//	                                                   the same at a fixed arrival rate (900 new connections/s,
//	                                                   open loop, at most 200 at once): latency below saturation
//	hsclient -addr 127.0.0.1:9443 -idle 1000           open 1000 TLS connections (handshake + one keep-alive GET),
//	                                                   print "ready ...", hold them idle until stdin closes
package main

import (
	"bufio"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type countingConn struct {
	net.Conn
	n *int64
}

func (c countingConn) Read(b []byte) (int, error) {
	k, err := c.Conn.Read(b)
	atomic.AddInt64(c.n, int64(k))
	return k, err
}

var cfg = &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true, ClientSessionCache: nil}

// one connects, handshakes, GETs path and reads the answer; it returns the connection open and the handshake time.
func one(addr, path string, keepAlive bool, in *int64) (*tls.Conn, time.Duration, error) {
	start := time.Now()
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, 0, err
	}
	c := tls.Client(countingConn{raw, in}, cfg)
	if err := c.Handshake(); err != nil {
		raw.Close()
		return nil, 0, err
	}
	hs := time.Since(start)
	req, _ := http.NewRequest("GET", "http://localhost"+path, nil)
	req.Close = !keepAlive
	if err := req.Write(c); err != nil {
		c.Close()
		return nil, 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err == nil {
		var n int64
		n, err = io.Copy(io.Discard, resp.Body)
		if err == nil && (resp.StatusCode != 200 || n != resp.ContentLength) {
			err = fmt.Errorf("status %d, %d body bytes", resp.StatusCode, n)
		}
	}
	if err != nil {
		c.Close()
		return nil, 0, err
	}
	return c, hs, nil
}

func pct(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9443", "target host:port")
	conc := flag.Int("c", 50, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration of the handshake run")
	path := flag.String("path", "/small", "path to GET")
	idle := flag.Int("idle", 0, "open this many connections and hold them idle until stdin closes")
	rate := flag.Float64("rate", 0, "new connections per second, open loop (0: each of -c connections starts its next one as soon as it is done)")
	flag.Parse()
	var in, errs int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	if *idle > 0 {
		conns := make(chan *tls.Conn, *idle)
		next := int64(0)
		for w := 0; w < *conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for atomic.AddInt64(&next, 1) <= int64(*idle) {
					if c, _, err := one(*addr, *path, true, &in); err == nil {
						conns <- c
					} else {
						atomic.AddInt64(&errs, 1)
					}
				}
			}()
		}
		wg.Wait()
		fmt.Printf("ready open=%d errors=%d\n", len(conns), errs)
		io.Copy(io.Discard, os.Stdin)
		close(conns)
		for c := range conns {
			c.Close()
		}
		return
	}
	var lat []time.Duration
	var firstErr error
	var late int64 // arrivals that found all -c workers busy (the client or the target could not keep the rate)
	start := time.Now()
	deadline := start.Add(*dur)
	var tokens chan struct{}
	if *rate > 0 {
		tokens = make(chan struct{}, *conc)
		go func() {
			defer close(tokens)
			interval := time.Duration(float64(time.Second) / *rate)
			for next := start; next.Before(deadline); next = next.Add(interval) {
				time.Sleep(time.Until(next))
				select {
				case tokens <- struct{}{}:
				default:
					atomic.AddInt64(&late, 1)
				}
			}
		}()
	}
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) {
				if tokens != nil {
					if _, ok := <-tokens; !ok {
						break
					}
				}
				c, hs, err := one(*addr, *path, false, &in)
				if err != nil {
					mu.Lock()
					errs++
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				c.Close() // close_notify, then FIN
				mine = append(mine, hs)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	done := len(lat)
	perConn := int64(0)
	if done > 0 {
		perConn = in / int64(done)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	fmt.Printf("handshakes=%d errors=%d seconds=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f bytes_in_per_conn=%d client_cpu_pct=%.0f late=%d\n",
		done, errs, secs, float64(done)/secs, pct(lat, 0.50), pct(lat, 0.99), perConn, 100*cpu/secs, late)
	if firstErr != nil {
		fmt.Fprintf(os.Stderr, "first error: %v\n", firstErr)
	}
}
