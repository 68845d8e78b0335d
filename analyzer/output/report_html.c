/*
 * The report as one self-contained HTML file: inline CSS, inline SVG, one
 * small inline script (sorting and filtering tables, allowed by its hash),
 * nothing fetched (a Content-Security-Policy forbids it), print CSS for PDF. Every input string goes through sgr_esc_html; the only markup not
 * written here is the SVG that Graphviz produced from escaped DOT labels.
 */
#include <stdlib.h>
#include <string.h>

#include "output/report_common.h"
#include "output/report_escape.h"

static const char CSS[] =
    ":root{--fg:#1c2833;--muted:#566573;--line:#d5d8dc;--bg:#ffffff;--head:#f4f6f7}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.45 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}\n"
    "header,main,footer{max-width:1200px;margin:0 auto;padding:0 24px}\n"
    "header{padding-top:24px;border-bottom:2px solid var(--fg)}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}\n"
    "h3{font-size:16px;margin:20px 0 6px}\n"
    ".meta{color:var(--muted);margin:0 0 12px;word-break:break-all}\n"
    "nav ol{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;padding:0;margin:8px 0 12px}\n"
    "nav a{color:#2471a3;text-decoration:none}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}\n"
    ".card b{display:block;font-size:22px}\n"
    "table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13px}\n"
    "th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}\n"
    "th{background:var(--head)}td.n{text-align:right}th.nw,td.nw{white-space:nowrap;overflow-wrap:normal}\n"
    ".sev{display:inline-block;border-radius:3px;padding:0 6px;font-weight:600;font-size:12px;color:#fff}\n"
    ".critical{background:#922b21}.high{background:#c0392b}.medium{background:#b9770e}.low{background:#2471a3}.info{background:#566573}\n"
    ".finding{border:1px solid var(--line);border-left:4px solid var(--muted);border-radius:4px;padding:8px 12px;margin:10px 0}\n"
    ".finding.f-critical{border-left-color:#922b21}.finding.f-high{border-left-color:#c0392b}\n"
    ".finding.f-medium{border-left-color:#b9770e}.finding.f-low{border-left-color:#2471a3}\n"
    ".finding p{margin:4px 0}.finding ul{margin:4px 0;padding-left:20px}\n"
    ".rule{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}\n"
    ".where{color:var(--muted)}\n"
    "figure{margin:12px 0;border:1px solid var(--line);border-radius:4px;padding:8px;overflow-x:auto}\n"
    "figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-weight:600;margin-bottom:6px}\n"
    ".legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:4px}\n"
    ".missing{color:#922b21}\n"
    "pre{white-space:pre-wrap;font-size:11px;background:var(--head);padding:8px}\n"
    "input.filter{margin:8px 0 0;padding:3px 6px;min-width:240px}th.sort{cursor:pointer}\n"
    "details{margin:4px 0}summary{cursor:pointer}\n"
    "footer{color:var(--muted);font-size:12px;padding:24px}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{font-size:10pt}nav{display:none}header,main,footer{max-width:none;padding:0}\n"
    " h2{break-after:avoid}h3{break-after:avoid}tr,.finding,figure{break-inside:avoid}\n"
    " table{font-size:9pt}.sev{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    " figure{overflow:visible;border:none}a{color:inherit}input.filter{display:none}}\n";

/* Sorting and filtering of the tables marked "sortable", in the browser:
 * the page reads whole without it (every row is in the HTML). Allowed by
 * the Content-Security-Policy through its SHA-256, which must be the hash of
 * these exact bytes (tests/e2e/test_report_browser.sh recomputes it, and
 * the browser runs the script only if it matches). */
static const char TABLE_SCRIPT[] = "document.querySelectorAll('table.sortable').forEach(function(t){var f=document.createElement('input');f.type='search';f.className='filter';f.placeholder='filter these rows';t.parentNode.insertBefore(f,t);var b=t.tBodies[0];f.addEventListener('input',function(){var q=f.value.toLowerCase();Array.prototype.forEach.call(b.rows,function(r){r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h,i){h.classList.add('sort');h.title='sort';h.addEventListener('click',function(){var d=h.dataset.dir==='a'?-1:1;h.dataset.dir=d>0?'a':'d';var rs=Array.prototype.slice.call(b.rows);rs.sort(function(x,y){var p=x.cells[i].textContent,q=y.cells[i].textContent,m=Number(p),n=Number(q);return d*(p!==''&&q!==''&&!isNaN(m)&&!isNaN(n)?m-n:p.localeCompare(q));});rs.forEach(function(r){b.appendChild(r);});});});});";
static const char TABLE_SCRIPT_HASH[] = "sha256-t62rfZcHEVe74g2QlTpeDhQSKltTiUNPtEKferve9bs=";

/* The long lists at scale: the first rows of the exposure and the first
 * findings in full; the rest are counted, the findings beyond listed in one
 * line each, and every row is in `report --format json` and
 * `exposure --format csv`. A browser opens the page quickly at any size. */
enum { HTML_EXPOSURE_ROWS = 300, HTML_FINDINGS_FULL = 100 };

/* Entries of each long list on the first screen. */
enum { SUMMARY_TOP = 5 };

/* Services whose first targets the HTML lists (the widest); the others are counted. */
enum { HTML_BLAST_DETAILED = 50 };

static void h(FILE *out, const char *s)
{
    sgr_esc_html(out, s);
}

static void h_heading(FILE *out, const char *id, const char *title)
{
    fprintf(out, "<section id=\"%s\"><h2>%s</h2>\n", id, title);
}

static const sgr_rep_markup HTML = {
    .esc = sgr_esc_html,
    .heading = h_heading,
    .none_open = "<p>",
    .none_close = "</p></section>\n",
    .row_open = "<tr>",
    .row_close = "</tr>\n",
    .cell_open = {"<td>", "<td class=\"nw\">", "<td class=\"n\">"},
    .cell_close = "</td>",
    .rule_open = "<span class=\"rule\">",
    .rule_close = "</span>",
    .where_open = " <span class=\"where\">",
    .where_close = "</span>",
    .item_open = "<li>",
    .item_close = "</li>\n",
    .sub_open = "<li>",
    .sub_close = "</li>\n",
};

static const sgr_rep_blast **widest_first(const sgr_report *r);

/* The first screen: the counts, then what matters most of each long list
 * (the exposure by way in and verdict, the first findings by severity, the
 * widest blast radius); the sections below hold the rest. */
static void h_summary(const sgr_report *r, FILE *out)
{
    uint32_t counts[5];
    sgr_findings_count(&r->findings, counts);
    fputs("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">\n", out);
    fprintf(out, "<div class=\"card\"><b>%u</b>exposed from the internet</div>\n", (unsigned)r->n_exposure);
    fprintf(out, "<div class=\"card\"><b>%u</b>services</div>\n", (unsigned)r->n_blast);
    for (int s = 0; s < 5; s++)
        fprintf(out, "<div class=\"card\"><b>%u</b><span class=\"sev %s\">%s</span> findings</div>\n",
                (unsigned)counts[s], sgr_fsev_name((sgr_fsev)s), sgr_fsev_name((sgr_fsev)s));
    fputs("</div>\n", out);
    if (r->n_exposure) {
        uint32_t unknown = 0, ways[4] = {0}; /* public address, ALB, NLB, other */
        for (uint32_t i = 0; i < r->n_exposure; i++) {
            const sgr_rep_exposure *e = &r->exposure[i];
            unknown += e->verdict && strcmp(e->verdict, "unknown") == 0;
            const char *w = e->way_in ? e->way_in : "";
            ways[strstr(w, "public") ? 0 : strncmp(w, "ALB", 3) == 0 ? 1 : strncmp(w, "NLB", 3) == 0 ? 2 : 3]++;
        }
        fprintf(out, "<p><b>Exposed to the internet:</b> %u target%s (%u only possibly: data missing): %u by a public "
                     "address, %u through an ALB, %u through an NLB, %u otherwise. <a href=\"#exposure\">Every one</a>.</p>\n",
                (unsigned)r->n_exposure, r->n_exposure == 1 ? "" : "s", (unsigned)unknown, (unsigned)ways[0],
                (unsigned)ways[1], (unsigned)ways[2], (unsigned)ways[3]);
    }
    uint32_t top = r->findings.count < SUMMARY_TOP ? r->findings.count : SUMMARY_TOP;
    if (top) {
        fprintf(out, "<p><b>Top findings</b> (%u of %u, <a href=\"#findings\">all</a>):</p>\n<ul>\n", (unsigned)top,
                (unsigned)r->findings.count);
        for (uint32_t i = 0; i < top; i++) {
            const sgr_finding *f = &r->findings.items[i];
            const char *sev = sgr_fsev_name(f->severity);
            fprintf(out, "<li><span class=\"sev %s\">%s</span> ", sev, sev);
            sgr_rep_text_with_groups(out, r, f->title, h);
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    const sgr_rep_blast **order = r->n_blast ? widest_first(r) : NULL;
    if (order) {
        uint32_t n = r->n_blast < SUMMARY_TOP ? r->n_blast : SUMMARY_TOP;
        fprintf(out, "<p><b>Widest blast radius</b> (one hop from a compromised task; <a href=\"#blast\">every "
                     "service</a>):</p>\n<ul>\n");
        for (uint32_t i = 0; i < n; i++) {
            const sgr_rep_blast *b = order[i];
            fputs("<li>", out);
            h(out, b->service);
            fprintf(out, ": %u target%s, %u database%s, %u on admin ports</li>\n", (unsigned)b->n_targets,
                    b->n_targets == 1 ? "" : "s", (unsigned)b->by_class[SGR_REP_DATABASE],
                    b->by_class[SGR_REP_DATABASE] == 1 ? "" : "s", (unsigned)b->by_class[SGR_REP_ADMIN]);
        }
        fputs("</ul>\n", out);
        free(order);
    }
    fputs("</section>\n", out);
}

static void h_estate(const sgr_report *r, FILE *out)
{
    HTML.heading(out, "estate", "Estate");
    fputs("<table><thead><tr><th>resource</th><th>count</th></tr></thead><tbody>\n", out);
    for (uint32_t i = 0; i < r->n_estate; i++)
        sgr_rep_estate_row(out, &HTML, &r->estate[i]);
    fputs("</tbody></table></section>\n", out);
}

static void h_exposure(const sgr_report *r, FILE *out)
{
    if (!sgr_rep_section(out, &HTML, "exposure", "Exposure to the internet", r->n_exposure,
                         "Nothing in the estate is reachable from the internet."))
        return;
    fputs("<table class=\"sortable\"><thead><tr><th>target</th><th>service</th><th class=\"nw\">ports</th><th>way in</th><th class=\"nw\">verdict</th>"
          "<th>deciding rules</th></tr></thead><tbody>\n", out);
    uint32_t shown = r->n_exposure < HTML_EXPOSURE_ROWS ? r->n_exposure : HTML_EXPOSURE_ROWS;
    for (uint32_t i = 0; i < shown; i++)
        sgr_rep_exposure_row(out, r, &HTML, &r->exposure[i]);
    fputs("</tbody></table>\n", out);
    if (shown < r->n_exposure)
        fprintf(out, "<p>The first %u of %u rows. Every one, with its rules: <code>sgreach exposure --format csv</code> "
                     "(or <code>sgreach report --format json</code>).</p>\n", (unsigned)shown, (unsigned)r->n_exposure);
    fputs("</section>\n", out);
}

/* Services by the width of their blast radius: databases, then admin ports,
 * then every target; ties by name (the report's order). */
static int cmp_widest(const void *pa, const void *pb)
{
    const sgr_rep_blast *a = *(const sgr_rep_blast *const *)pa, *b = *(const sgr_rep_blast *const *)pb;
    for (int k = SGR_REP_DATABASE; k <= SGR_REP_ADMIN; k++)
        if (a->by_class[k] != b->by_class[k])
            return a->by_class[k] > b->by_class[k] ? -1 : 1;
    if (a->n_targets != b->n_targets)
        return a->n_targets > b->n_targets ? -1 : 1;
    return a < b ? -1 : a > b; /* the report's order */
}

/* r->blast's entries, widest first (allocated; the caller frees). */
static const sgr_rep_blast **widest_first(const sgr_report *r)
{
    const sgr_rep_blast **order = malloc((r->n_blast ? r->n_blast : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (uint32_t i = 0; i < r->n_blast; i++)
        order[i] = &r->blast[i];
    qsort(order, r->n_blast, sizeof *order, cmp_widest);
    return order;
}

static void h_blast_row(const sgr_rep_blast *b, FILE *out)
{
    fputs("<tr><td>", out);
    h(out, b->service);
    fputs("</td><td class=\"nw\">", out);
    h(out, b->mode ? b->mode : "?");
    fprintf(out, "</td><td class=\"n\">%u</td>", (unsigned)b->n_tasks);
    for (int k = 0; k < SGR_REP_N_CLASSES; k++)
        fprintf(out, "<td class=\"n\">%u</td>", (unsigned)b->by_class[k]);
    fprintf(out, "<td class=\"n\">%u</td></tr>\n", (unsigned)b->n_targets);
}

static void h_blast_head(FILE *out)
{
    fputs("<table class=\"sortable\"><thead><tr><th>service</th><th class=\"nw\">mode</th><th class=\"nw\">tasks</th>", out);
    for (int k = 0; k < SGR_REP_N_CLASSES; k++)
        fprintf(out, "<th class=\"nw\">%s</th>", sgr_rep_class_name((sgr_rep_class)k));
    fputs("<th class=\"nw\">targets</th></tr></thead><tbody>\n", out);
}

/* The services' counts in one table (widest first), then the first targets
 * of the widest: the rest are one `sgreach blast` away. */
static void h_blast(const sgr_report *r, FILE *out)
{
    if (!sgr_rep_section(out, &HTML, "blast", "Blast radius per service", r->n_blast, "The estate has no ECS services."))
        return;
    const sgr_rep_blast **order = widest_first(r);
    if (!order)
        return;
    fputs("<p>What a compromised task of each service reaches in one hop: targets per class, the widest first. "
          "Another service's tasks reached on the same ports count as one target.</p>\n", out);
    h_blast_head(out);
    for (uint32_t i = 0; i < r->n_blast; i++)
        h_blast_row(order[i], out);
    fputs("</tbody></table>\n", out);
    uint32_t shown = r->n_blast < HTML_BLAST_DETAILED ? r->n_blast : HTML_BLAST_DETAILED;
    fprintf(out, "<h3>The first targets of the %u widest</h3>\n<p>Sensitive targets first; every target of a "
                 "service: <code>sgreach blast --from SERVICE-ARN --format csv</code>.</p>\n", (unsigned)shown);
    for (uint32_t i = 0; i < shown; i++) {
        const sgr_rep_blast *b = order[i];
        fputs("<details><summary>", out);
        h(out, b->service);
        fprintf(out, " <span class=\"where\">(%u target%s", (unsigned)b->n_targets, b->n_targets == 1 ? "" : "s");
        if (sgr_rep_blast_selector(b)) {
            fputs("; ", out);
            h(out, sgr_rep_blast_selector(b));
        }
        fputs(")</span></summary>\n", out);
        if (!b->n_reached) {
            fputs("<p>Reaches nothing.</p></details>\n", out);
            continue;
        }
        fputs("<table><thead><tr><th class=\"nw\">class</th><th>target</th><th class=\"nw\">ports</th><th class=\"nw\">verdict</th></tr></thead><tbody>\n", out);
        for (uint32_t k = 0; k < b->n_reached; k++)
            sgr_rep_reached_row(out, &HTML, &b->reached[k]);
        fputs("</tbody></table></details>\n", out);
    }
    free(order);
    fputs("</section>\n", out);
}

static void h_findings(const sgr_report *r, FILE *out)
{
    HTML.heading(out, "findings", "Findings");
    if (!r->findings.count)
        fputs("<p>No findings.</p>\n", out);
    uint32_t full = r->findings.count < HTML_FINDINGS_FULL ? r->findings.count : HTML_FINDINGS_FULL;
    for (uint32_t i = 0; i < full; i++) {
        const sgr_finding *f = &r->findings.items[i];
        const char *sev = sgr_fsev_name(f->severity);
        fprintf(out, "<div class=\"finding f-%s\"><h3>%u. <span class=\"sev %s\">%s</span> ", sev, (unsigned)i + 1, sev,
                sev);
        h(out, f->check);
        fputs("</h3>\n<p>", out);
        sgr_rep_text_with_groups(out, r, f->title, h);
        fputs("</p>\n<p><b>id</b> <span class=\"rule\">", out);
        h(out, f->id);
        fputs("</span></p>\n<p><b>resources</b> ", out);
        sgr_rep_finding_resources(out, r, &HTML, f);
        fputs("</p>\n<p><b>deciding rules</b></p><ul>\n", out);
        sgr_rep_finding_rules(out, r, &HTML, f);
        fputs("</ul>\n<p><b>fix</b> ", out);
        h(out, f->fix);
        fputs("</p></div>\n", out);
    }
    if (full < r->findings.count) {
        fprintf(out, "<details><summary>%u more findings, one line each (every one in full: "
                     "<code>sgreach report --format json</code>)</summary>\n<table class=\"sortable\"><thead><tr>"
                     "<th class=\"nw\">#</th><th class=\"nw\">severity</th><th class=\"nw\">check</th><th>finding</th>"
                     "</tr></thead><tbody>\n", (unsigned)(r->findings.count - full));
        for (uint32_t i = full; i < r->findings.count; i++) {
            const sgr_finding *f = &r->findings.items[i];
            fprintf(out, "<tr><td class=\"n\">%u</td><td class=\"nw\">%s</td><td class=\"nw\">", (unsigned)i + 1,
                    sgr_fsev_name(f->severity));
            h(out, f->check);
            fputs("</td><td>", out);
            sgr_rep_text_with_groups(out, r, f->title, h);
            fputs("</td></tr>\n", out);
        }
        fputs("</tbody></table></details>\n", out);
    }
    fputs("</section>\n", out);
}

static void h_graphs(const sgr_report *r, const char *const *svgs, const char *svg_error, FILE *out)
{
    HTML.heading(out, "graphs", "Reachability graphs");
    fputs("<p class=\"legend\">", out);
    for (int k = SGR_REP_HOW_PUBLIC; k <= SGR_REP_HOW_BRIDGE; k++)
        fprintf(out, "<span><i style=\"background:%s\"></i>%s</span>", sgr_rep_how_color((sgr_rep_how)k), sgr_rep_how_name((sgr_rep_how)k));
    fputs("<span>dashed: depends on missing data</span></p>\n", out);
    if (!r->n_graphs)
        fputs(r->n_vpcs ? "<p>No VPC could be drawn: the notes below say why for each.</p>\n"
                        : "<p>No VPC in the snapshot.</p>\n", out);
    for (uint32_t i = 0; i < r->n_graphs; i++) {
        const sgr_rep_graph *g = &r->graphs[i];
        fputs("<figure><figcaption>", out);
        h(out, g->label ? g->label : g->vpc);
        fputs("</figcaption>\n", out);
        if (svgs && svgs[i]) {
            fputs(svgs[i], out);
            fputs("\n", out);
        } else {
            fputs("<p class=\"missing\">No picture: ", out);
            h(out, svg_error ? svg_error : "Graphviz `dot` is not available");
            fputs(". The graph's DOT source follows.</p>\n<pre>", out);
            size_t len;
            char *dot = sgr_graph_dot_string(g, &len);
            h(out, dot);
            free(dot);
            fputs("</pre>\n", out);
        }
        fputs("</figure>\n", out);
    }
    fputs("</section>\n", out);
}

int sgr_report_html(const sgr_report *r, const char *const *svgs, const char *svg_error, FILE *out)
{
    const char *title = r->title ? r->title : "sgreach report";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
    fprintf(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                 "img-src data:; script-src '%s'\">\n", TABLE_SCRIPT_HASH);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
    h(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", CSS);
    h(out, title);
    fputs("</h1>\n<p class=\"meta\">", out);
    sgr_rep_provenance(out, r, &HTML);
    fputs("</p>\n<nav><ol><li><a href=\"#summary\">Summary</a></li><li><a href=\"#estate\">Estate</a></li>"
          "<li><a href=\"#exposure\">Exposure</a></li><li><a href=\"#blast\">Blast radius</a></li>"
          "<li><a href=\"#findings\">Findings</a></li><li><a href=\"#graphs\">Graphs</a></li></ol></nav>\n</header>\n"
          "<main>\n", out);
    h_summary(r, out);
    h_estate(r, out);
    h_exposure(r, out);
    h_blast(r, out);
    h_findings(r, out);
    h_graphs(r, svgs, svg_error, out);
    if (r->n_notes) {
        fputs("<section id=\"notes\"><h2>Notes</h2><ul>\n", out);
        sgr_rep_list(out, &HTML, r->notes, r->n_notes);
        fputs("</ul></section>\n", out);
    }
    fprintf(out, "</main>\n<script>%s</script>\n", TABLE_SCRIPT);
    fputs("<footer>Written by sgreach " SGREACH_VERSION " from the snapshot alone; nothing in this file "
          "is fetched from anywhere.</footer>\n</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
