package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of /proc CPU times (100 on Linux).
const clockTicks = 100.0

// cpuSample is CPU time used so far, in seconds: by each process group
// this run started (a child and what it started), by this process and the
// children it waited for (wrk, beacon import), and by the whole machine.
type cpuSample struct {
	groups      map[string]float64
	self        float64
	machineBusy float64
	machineAll  float64
}

// sampleCPU reads /proc for the named process groups (name → group id).
func sampleCPU(groups map[string]int) cpuSample {
	s := cpuSample{groups: map[string]float64{}}
	byID := map[int]string{}
	for name, id := range groups {
		byID[id] = name
		s.groups[name] += 0
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range dirs {
		f := procStat(path)
		if f == nil {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		pgrp, _ := strconv.Atoi(f[2])
		name, ok := byID[pgrp]
		if !ok {
			continue
		}
		s.groups[name] += ticks(f, 11) + ticks(f, 12)
		if pid == pgrp {
			// Children that ended and were waited for (PostgreSQL's
			// backends, nginx's old workers).
			s.groups[name] += ticks(f, 13) + ticks(f, 14)
		}
	}
	if f := procStat("/proc/self/stat"); f != nil {
		s.self = ticks(f, 11) + ticks(f, 12) + ticks(f, 13) + ticks(f, 14)
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line := strings.SplitN(string(b), "\n", 2)[0]
		fields := strings.Fields(line)
		for i, v := range fields[1:] {
			n, _ := strconv.ParseFloat(v, 64)
			if i >= 8 { // guest times are already in user and nice
				break
			}
			s.machineAll += n / clockTicks
			if i != 3 && i != 4 { // idle, iowait
				s.machineBusy += n / clockTicks
			}
		}
	}
	return s
}

// procStat returns the fields of a /proc/<pid>/stat after the command
// name (field 0 is the state), or nil.
func procStat(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 15 {
		return nil
	}
	return f
}

func ticks(f []string, i int) float64 {
	n, _ := strconv.ParseFloat(f[i], 64)
	return n / clockTicks
}

// cpuReport says where the machine's CPU time went between two samples:
// each of this run's process groups, this driver (with wrk and the
// commands it ran), everything else on the machine, and idle.
func cpuReport(a, b cpuSample) string {
	all := b.machineAll - a.machineAll
	if all <= 0 {
		return ""
	}
	var names []string
	for n := range b.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	ours := 0.0
	var parts []string
	for _, n := range names {
		d := b.groups[n] - a.groups[n]
		ours += d
		parts = append(parts, fmt.Sprintf("%s %.0f%%", n, 100*d/all))
	}
	self := b.self - a.self
	others := (b.machineBusy - a.machineBusy) - ours - self
	if others < 0 {
		others = 0
	}
	idle := all - (b.machineBusy - a.machineBusy)
	parts = append(parts, fmt.Sprintf("load driver (and wrk) %.0f%%", 100*self/all), fmt.Sprintf("other processes on the machine %.0f%%", 100*others/all),
		fmt.Sprintf("idle %.0f%%", 100*idle/all))
	return "CPU time of the machine: " + strings.Join(parts, ", ")
}
