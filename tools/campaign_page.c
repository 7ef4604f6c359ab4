/* campaign_page.c - OUT/index.html, a campaign's page (campaign_page.h).
 *
 * One static file: the plots and the pairs picture are SVG written here, the
 * style is inline, there is no script, so the page opens from disk with no
 * server and no network, and a copy of OUT mailed or archived still shows it.
 * Every string from the struct is escaped: titles quote the kernel's code. */
#include "campaign_page.h"
#include "../engine/format/site.h"
#include <stdio.h>

/* The data line's colour and the pairs' shades (light to dark): fixed, so
 * that engine/test/page-check can find them in a screenshot. */
#define LINE_COLOUR "#1f77b4"
static const char *const shade[4] = { "#fdbe85", "#fd8d3c", "#e6550d", "#a63603" };

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

/* A tick step of 1, 2 or 5 times a power of ten, near x (> 0): round
 * numbers on the axes. No libm: the tools link without it. */
static double nice_step(double x)
{
	double p = 1;
	while (p * 10 <= x)
		p *= 10;
	while (p > x)
		p /= 10;
	return x <= p ? p : x <= 2 * p ? 2 * p : x <= 5 * p ? 5 * p : 10 * p;
}

/* Tick labels short enough for the margin: 2500000 is "2.5M". */
static void put_num(FILE *f, double v)
{
	if (v >= 1e9)
		fprintf(f, "%.4gG", v / 1e9);
	else if (v >= 1e6)
		fprintf(f, "%.4gM", v / 1e6);
	else if (v >= 1e4)
		fprintf(f, "%.4gk", v / 1e3);
	else
		fprintf(f, "%.4g", v);
}

enum { EXECS, COV, FINDINGS };

static double value(const struct hmr_page_sample *s, int which)
{
	return which == EXECS ? (double)s->execs : which == COV ? (double)s->cov : s->findings;
}

/* An axis from 0 to a whole number of steps at or above max, four or so
 * ticks; *step and the returned top give the scale. Counts are whole, so a
 * y axis never steps by less than 1 (min_step). */
static double axis_top(double max, double min_step, double *step)
{
	int n;
	*step = nice_step(max / 4 > min_step ? max / 4 : min_step);
	n = (int)(max / *step);
	if (n * *step < max || n == 0)
		n++;
	return n * *step;
}

/* One plot: the samples' t against one of their counts. */
static void plot(FILE *f, const struct hmr_page *p, const char *id, const char *what, int which)
{
	const double W = 600, H = 240, L = 64, R = 16, T = 14, B = 44;
	const double pw = W - L - R, ph = H - T - B;
	double tmax = 0, ymax = 0, xs, ys, xtop, ytop;
	int i;

	for (i = 0; i < p->nsamples; i++) {
		if (p->samples[i].t > tmax)
			tmax = p->samples[i].t;
		if (value(&p->samples[i], which) > ymax)
			ymax = value(&p->samples[i], which);
	}
	xtop = axis_top(tmax, 1, &xs);
	ytop = axis_top(ymax, 1, &ys);
	fprintf(f, "<svg id=\"%s\" class=\"plot\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" role=\"img\">\n"
		"<title>%s over seconds of fuzzing</title>\n", id, W, H, W, H, what);
	fprintf(f, "<path class=\"axis\" d=\"M%g %gV%gH%g\"/>\n", L, T, T + ph, L + pw);
	for (i = 0; i * xs <= xtop + xs / 2; i++) {
		double x = L + pw * i * xs / xtop;
		fprintf(f, "<path class=\"tick\" d=\"M%.1f %gv5\"/><text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">",
			x, T + ph, x, T + ph + 17);
		put_num(f, i * xs);
		fputs("</text>\n", f);
	}
	for (i = 0; i * ys <= ytop + ys / 2; i++) {
		double y = T + ph - ph * i * ys / ytop;
		fprintf(f, "<path class=\"tick\" d=\"M%g %.1fh-5\"/><text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">",
			L, y, L - 8, y + 4);
		put_num(f, i * ys);
		fputs("</text>\n", f);
	}
	fprintf(f, "<text class=\"title\" x=\"%g\" y=\"%g\" text-anchor=\"middle\">seconds of fuzzing</text>\n"
		"<text class=\"title\" transform=\"translate(14 %g) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
		L + pw / 2, H - 6, T + ph / 2, what);
	/* One point is no line: say so rather than draw a dot nobody sees. */
	if (p->nsamples < 2) {
		fprintf(f, "<text class=\"note\" x=\"%g\" y=\"%g\" text-anchor=\"middle\">not enough samples yet</text>\n",
			L + pw / 2, T + ph / 2);
	} else {
		fputs("<polyline class=\"data\" points=\"", f);
		for (i = 0; i < p->nsamples; i++)
			fprintf(f, "%s%.1f,%.1f", i ? " " : "", L + pw * p->samples[i].t / xtop,
				T + ph - ph * value(&p->samples[i], which) / ytop);
		fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", LINE_COLOUR);
	}
	fputs("</svg>\n", f);
}

static void findings(FILE *f, const struct hmr_page *p)
{
	static const char *const name[5] = { "report.txt", "minimized.scn", "scenario.scn", "trace.json", "input.bin" };
	int i, k;

	fprintf(f, "<h2>Findings</h2>\n<p>Each finding's files are in findings/ID/. The Perfetto trace opens in "
		"https://ui.perfetto.dev with &ldquo;Open trace file&rdquo;.</p>\n<table id=\"findings\">\n"
		"<tr><th>title</th><th>profile</th><th>id</th><th>found after (s)</th><th>executions by then</th>"
		"<th>confirmed</th><th>files</th></tr>\n");
	if (!p->nfindings)
		fputs("<tr><td colspan=\"7\">(none)</td></tr>\n", f);
	for (i = 0; i < p->nfindings; i++) {
		const struct hmr_page_finding *g = &p->findings[i];
		const int have[5] = { g->report, g->minimized, g->scenario, g->trace, g->input };
		fputs("<tr><td>", f);
		esc(f, g->title);
		fputs("</td><td>", f);
		esc(f, g->profile);
		fprintf(f, "</td><td><code>%08x</code></td><td class=\"n\">%.1f</td><td class=\"n\">%ld</td><td>",
			(unsigned)g->id, g->found_at, g->execs);
		esc(f, g->confirmed);
		fputs("</td><td>", f);
		/* A link only to a file the campaign wrote: a dead link on a page
		 * read from disk gives no error, only a puzzled reader. */
		for (k = 0; k < 5; k++)
			if (have[k])
				fprintf(f, "<a href=\"findings/%08x/%s\">%s</a> ", (unsigned)g->id, name[k],
					k == 3 ? "Perfetto trace" : name[k]);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static int bit_length(unsigned long v)
{
	int n = 0;
	for (; v; v >>= 1)
		n++;
	return n;
}

static void site_name(FILE *f, const struct hmr_page *p, int i)
{
	/* Names only from the table the pairs were counted against. */
	if (p->nsites == HMR_SITE__N)
		esc(f, hmr_sites[i].name);
	else
		fprintf(f, "site %d", i);
}

/* The switch pairs as an nsites x nsites grid: row a, column b is filled
 * when some input switched out at a and ran on from b, darker the more
 * inputs did (log scale against the corpus, as counts span decades). */
static void pairs(FILE *f, const struct hmr_page *p)
{
	const int cell = 12, left = 130, top = 130, n = p->nsites;
	long reached = 0, total = (long)n * n;
	unsigned long most = 1;
	int a, b, bits;

	fputs("<h2>Interleaving coverage</h2>\n", f);
	if (!p->pairs || n <= 0) {
		fputs("<p id=\"pairs\">The switch pairs were not measured.</p>\n", f);
		return;
	}
	for (a = 0; a < total; a++) {
		reached += p->pairs[a] > 0;
		if (p->pairs[a] > most)
			most = p->pairs[a];
	}
	if (p->corpus > 0 && (unsigned long)p->corpus > most)
		most = (unsigned long)p->corpus;
	bits = bit_length(most);
	fprintf(f, "<p>%ld of %ld switch pairs reached over %ld inputs. Row: the site a task switched out at; column: "
		"the site the next task ran on from. Darker: more inputs (log scale); hover a cell for its count.</p>\n",
		reached, total, p->corpus);
	fprintf(f, "<svg id=\"pairs\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
		"<title>switch pairs reached</title>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f2f2f2\"/>\n",
		left + n * cell + 4, top + n * cell + 4, left + n * cell + 4, top + n * cell + 4,
		left, top, n * cell, n * cell);
	for (a = 0; a < n; a++) {
		fprintf(f, "<text class=\"site\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 4, top + a * cell + 9);
		site_name(f, p, a);
		fprintf(f, "</text><text class=\"site\" transform=\"translate(%d %d) rotate(-90)\">",
			left + a * cell + 9, top - 4);
		site_name(f, p, a);
		fputs("</text>\n", f);
	}
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++) {
			uint32_t c = p->pairs[(long)a * n + b];
			if (!c)
				continue;
			fprintf(f, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>"
				"switched out at ", left + b * cell, top + a * cell, cell - 1, cell - 1,
				shade[(bit_length(c) * 4 - 1) / bits]);
			site_name(f, p, a);
			fputs(", next ran from ", f);
			site_name(f, p, b);
			fprintf(f, ": %lu of %ld inputs</title></rect>\n", (unsigned long)c, p->corpus);
		}
	fputs("</svg>\n", f);
}

int hmr_campaign_page(const char *path, const struct hmr_page *p)
{
	char tmp[4096];
	FILE *f;
	int bad;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) || !(f = fopen(tmp, "w")))
		return -1;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>hmrig campaign: ", f);
	esc(f, p->engine);
	fputs("</title>\n<style>\n"
		"body { font: 14px/1.4 sans-serif; margin: 1.5em; color: #222; }\n"
		"dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }\n"
		"dt { font-weight: bold; } dd { margin: 0; }\n"
		".plots { display: flex; flex-wrap: wrap; gap: 1em; }\n"
		"svg text { font: 11px sans-serif; fill: #333; }\n"
		"svg text.title { font-size: 12px; } svg text.note { font-size: 14px; fill: #888; }\n"
		"svg text.site { font: 9px monospace; }\n"
		".axis, .tick { fill: none; stroke: #444; }\n"
		"table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }\n"
		"td.n { text-align: right; }\n"
		"</style>\n</head>\n<body>\n<h1>hmrig campaign</h1>\n<dl>\n<dt>engine</dt><dd>", f);
	esc(f, p->engine);
	fprintf(f, "</dd>\n<dt>jobs</dt><dd>%d</dd>\n<dt>profile</dt><dd>", p->jobs);
	esc(f, p->profile ? p->profile : "any");
	fprintf(f, "</dd>\n<dt>seconds of fuzzing</dt><dd>%.0f</dd>\n<dt>executions</dt><dd>%ld</dd>\n"
		"<dt>distinct findings</dt><dd>%d</dd>\n</dl>\n<div class=\"plots\">\n", p->elapsed, p->execs, p->nfindings);
	plot(f, p, "plot-execs", "executions", EXECS);
	plot(f, p, "plot-cov", "coverage", COV);
	plot(f, p, "plot-findings", "distinct findings", FINDINGS);
	fputs("</div>\n", f);
	pairs(f, p);	/* the figures first: a long table would push it below a first screenful */
	findings(f, p);
	fputs("</body>\n</html>\n", f);
	bad = ferror(f);
	if (fclose(f) || bad || rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	return 0;
}
