package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// A point of a trend: its label on the axis (a month) and its value, NaN where there is none.
type point struct {
	Label string
	Value float64
}

// Chart sizes, in SVG user units; the page scales the drawing to its column.
const (
	chartW, chartH                       = 640, 240
	padLeft, padRight, padTop, padBottom = 52, 16, 12, 40
	sparkW, sparkH                       = 120, 28
	lineColour, targetColour, gridColour = "#1d70b8", "#0b0c0c", "#b1b4b6"
	axisFont                             = "12"
)

// lineChart draws a trend as an SVG line chart, with the aim (a target, or a trajectory point by point) as a
// dashed line when there is one. The chart is an image with a title; the page puts the same figures in a table
// beside it for anyone who cannot see it. It uses presentation attributes only, so the page's style policy holds.
func lineChart(title string, points []point, aim []float64) template.HTML {
	lo, hi := valueRange(points, aim)
	ticks := niceTicks(lo, hi, 5)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	plotW, plotH := float64(chartW-padLeft-padRight), float64(chartH-padTop-padBottom)
	x := func(i int) float64 {
		if len(points) < 2 {
			return padLeft + plotW/2
		}
		return padLeft + plotW*float64(i)/float64(len(points)-1)
	}
	y := func(v float64) float64 { return padTop + plotH*(1-(v-lo)/(hi-lo)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`,
		chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(title))
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, padLeft, chartW-padRight, y(t), y(t), gridColour)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`,
			padLeft-6, y(t), axisFont, targetColour, formatTick(t))
	}
	step := max(1, (len(points)+7)/8) // at most eight labels along the bottom
	for i, p := range points {
		if (len(points)-1-i)%step == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="%s" text-anchor="middle" fill="%s">%s</text>`,
				x(i), chartH-padBottom+18, axisFont, targetColour, template.HTMLEscapeString(p.Label))
		}
	}
	if len(aim) == len(points) {
		writeLine(&b, aim, x, y, targetColour, 2, `stroke-dasharray="6 4"`)
	}
	values := make([]float64, len(points))
	for i, p := range points {
		values[i] = p.Value
	}
	writeLine(&b, values, x, y, lineColour, 3, "")
	for i, v := range values {
		if !math.IsNaN(v) {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`, x(i), y(v), lineColour)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sparkline draws a trend small, for a table's row; it is hidden from screen readers, as the row says the
// figures in words.
func sparkline(values []float64) template.HTML {
	lo, hi := valueRange(nil, values)
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	x := func(i int) float64 { return 2 + float64(sparkW-4)*float64(i)/float64(max(1, len(values)-1)) }
	y := func(v float64) float64 { return 2 + float64(sparkH-4)*(1-(v-lo)/(hi-lo)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" aria-hidden="true" focusable="false">`,
		sparkW, sparkH, sparkW, sparkH)
	writeLine(&b, values, x, y, lineColour, 2, "")
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// writeLine draws values as polylines, broken where a value is missing.
func writeLine(b *strings.Builder, values []float64, x func(int) float64, y func(float64) float64, colour string, width int, extra string) {
	var run []string
	flush := func() {
		if len(run) > 1 {
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%d" %s/>`, strings.Join(run, " "), colour, width, extra)
		}
		run = run[:0]
	}
	for i, v := range values {
		if math.IsNaN(v) {
			flush()
			continue
		}
		run = append(run, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
	}
	flush()
}

// valueRange is the lowest and highest of the values, and zero when every value is missing.
func valueRange(points []point, more []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for _, p := range points {
		see(p.Value)
	}
	for _, v := range more {
		see(v)
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	return lo, hi
}

// niceTicks are about n round values spanning lo to hi, from 0 when every value is positive and near it.
func niceTicks(lo, hi float64, n int) []float64 {
	if lo > 0 && lo < hi/2 {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	var ticks []float64
	for t := math.Floor(lo/step) * step; t <= hi+step/2; t += step {
		ticks = append(ticks, math.Round(t/step)*step)
		if t >= hi {
			break
		}
	}
	return ticks
}

func formatTick(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
