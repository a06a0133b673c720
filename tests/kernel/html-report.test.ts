// The `gradnote run --html` page: outputs shown by their richest static MIME type, markdown cells
// rendered, text escaped, plotly.js inlined only when a cell holds a plot (and then once).
import { describe, expect, it } from "vitest";
import { markdownToHtml, notebookToHtml } from "../../kernel/html-report.js";

const code = (outputs: unknown[], source = "x") => ({ cell_type: "code", source, execution_count: 1, outputs: outputs as Record<string, unknown>[] });

describe("html report", () => {
  it("renders markdown headings, lists, code and inline marks, escaping HTML", () => {
    expect(markdownToHtml("# Title\nSome **bold** and `x<y`\n\n- one\n- two\n```\na < b\n```")).toBe(
      "<h1>Title</h1>\n<p>Some <strong>bold</strong> and <code>x&lt;y</code></p>\n<ul><li>one</li><li>two</li></ul>\n<pre><code>a &lt; b</code></pre>",
    );
  });

  it("picks html, then svg, then png, then text, and shows streams and errors", () => {
    const page = notebookToHtml({
      cells: [
        code([{ output_type: "stream", name: "stdout", text: ["a<b\n"] }]),
        code([{ output_type: "display_data", data: { "text/plain": "t", "image/png": "iVBORw0KGgo=" } }]),
        code([{ output_type: "execute_result", data: { "text/plain": "42" } }]),
        code([{ output_type: "error", ename: "Error", evalue: "bad", traceback: ["\x1b[31mError\x1b[0m: bad"] }]),
      ],
    });
    expect(page).toContain('<pre class="stream stdout">a&lt;b\n</pre>');
    expect(page).toContain('<img src="data:image/png;base64,iVBORw0KGgo="');
    expect(page).toContain("<pre>42</pre>");
    expect(page).toContain('<pre class="error">Error: bad</pre>');
    expect(page).not.toContain("window.Plotly"); // no plots: no plotly.js
  });

  it("inlines plotly.js once however many plots there are", () => {
    const fig = { output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [], layout: {} }, "text/html": "<div class=\"gradnote-plot\"></div>", "text/plain": "Figure()" } };
    const page = notebookToHtml({ cells: [code([fig]), code([fig]), code([fig])] });
    expect(page.match(/window\.Plotly\s*=/g)).toHaveLength(1);
    expect(page.match(/class="gradnote-plot"/g)).toHaveLength(3);
    expect(page.indexOf("window.Plotly")).toBeLessThan(page.indexOf("gradnote-plot"));
  });
});
