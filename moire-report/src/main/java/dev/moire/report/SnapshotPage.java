package dev.moire.report;

import dev.moire.model.Change;
import dev.moire.model.Snapshot;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Finding;
import dev.moire.runtime.store.MoireJson;
import dev.moire.runtime.store.StoredSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page of one stored snapshot, leading with its finding: the sentence, then the finding's
 * entities drawn on their own at a readable size (fit to the view, zoom and pan; the whole graph
 * one click away), the legend beside the drawing, the threads as a person reads them (what each
 * runs, waits on and holds, its own frames first, the full stack one click away, a plain-text copy
 * for a bug report), and the last moments of the finding's resources from the journal. Every name
 * goes into the page as text: escaped in the markup, and as JSON in a non-executable data block
 * that the script reads and writes only through {@code textContent}.
 */
final class SnapshotPage {
  private SnapshotPage() {}

  static String render(
      StoredSnapshot meta, Snapshot s, List<Change> journal, List<Finding> findings, String index) {
    return render(meta, s, journal, findings, index, Optional.empty());
  }

  static String render(
      StoredSnapshot meta,
      Snapshot s,
      List<Change> journal,
      List<Finding> findings,
      String index,
      Optional<String> sourceUrl) {
    PageStory story = new PageStory(meta, s, journal, findings, sourceUrl);
    Map<String, Object> data = ReportData.build(meta, s, journal, findings, story);
    StringBuilder b = new StringBuilder(64 * 1024);
    Page.head(b, meta.test() + " (" + meta.reason() + ")", true);
    b.append("<header><a href=\"")
        .append(Html.esc(index))
        .append("\">all tests</a>\n<h1 id=\"test\">")
        .append(Html.esc(meta.test()))
        .append("</h1>\n<p class=\"meta\"><b id=\"reason\">")
        .append(Html.esc(meta.reason()))
        .append("</b>");
    meta.testDuration().ifPresent(d -> b.append(" · ").append(d.toMillis()).append(" ms"));
    b.append(" · ")
        .append(s.entities().size())
        .append(" entities, ")
        .append(s.edges().size())
        .append(" edges · snapshot at seq ")
        .append(s.seq())
        .append("</p>\n");
    if (story.lead.isPresent()) {
      Finding f = story.lead.get();
      b.append("<p id=\"lead\" class=\"lead ").append(f.certainty().wireName()).append("\">");
      finding(b, f);
      b.append("</p>\n");
    } else if (!meta.message().isEmpty()) {
      b.append("<p id=\"lead\" class=\"lead none\"><span class=\"explanation\">")
          .append(Html.esc(meta.message().lines().findFirst().orElse("")))
          .append("</span></p>\n");
    }
    b.append("</header>\n<div id=\"toolbar\">")
        .append("<button id=\"show-all\" type=\"button\">show the whole graph</button>")
        .append("<button id=\"fit\" type=\"button\">fit</button>")
        .append("<label>search <input id=\"search\" type=\"search\" placeholder=\"name or id\">")
        .append("</label><label>scope <select id=\"scope\"><option value=\"\">all</option>")
        .append("</select></label><span id=\"kinds\"></span>")
        .append("<label>timeline <input id=\"timeline\" type=\"range\" step=\"1\"></label>")
        .append("<span id=\"time-label\"></span></div>\n")
        .append("<div id=\"main\"><div id=\"graph-wrap\"><svg id=\"graph\" role=\"img\"")
        .append(" aria-label=\"wait-for graph\"></svg></div><aside id=\"side\">");
    legend(b);
    b.append("<div id=\"inspector\"><p class=\"meta\">Click an entity to inspect it.</p></div>")
        .append("</aside></div>\n");
    threads(b, story);
    b.append("<section id=\"history-section\"><h2>last moments</h2>");
    if (story.history.isEmpty()) {
      b.append("<p class=\"meta\">nothing recorded about the finding's entities</p>");
    }
    b.append("<ol id=\"history\">");
    for (PageStory.HistoryLine h : story.history) {
      b.append("<li><span class=\"when\">")
          .append(Html.esc(PageStory.before(h.beforeNanos())))
          .append("</span> ")
          .append(Html.esc(h.text()))
          .append("</li>");
    }
    b.append("</ol></section>\n<section id=\"findings\"><h2>findings</h2>\n");
    if (findings.isEmpty()) {
      b.append("<p class=\"meta\">no findings</p>\n");
    }
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      b.append("<div class=\"finding ")
          .append(f.certainty().wireName())
          .append("\" data-index=\"")
          .append(i)
          .append("\">");
      finding(b, f);
      b.append("</div>\n");
    }
    b.append("</section>\n");
    if (!meta.message().isEmpty()) {
      b.append("<section><h2>failure</h2><pre class=\"message\" id=\"message\">")
          .append(Html.esc(meta.message()))
          .append("</pre></section>\n");
    }
    b.append("<section><h2>events</h2><ol id=\"events\"></ol></section>\n")
        .append("<noscript><p>The graph, inspector and timeline need")
        .append(" JavaScript; the finding, threads and history above do not.</p></noscript>\n")
        .append("<script type=\"application/json\" id=\"moire-data\">")
        .append(Html.scriptSafeJson(MoireJson.write(data)))
        .append("</script>\n");
    Page.tail(b, true);
    return b.toString();
  }

  /** A finding's words: its kind, its certainty, its explanation. */
  private static void finding(StringBuilder b, Finding f) {
    b.append("<span class=\"kind\">")
        .append(Html.esc(f.kind().wireName().replace('_', ' ')))
        .append("</span> (")
        .append(f.certainty().wireName())
        .append("): <span class=\"explanation\">")
        .append(Html.esc(f.explanation()))
        .append("</span>");
  }

  /** The legend, beside the graph: line styles and shapes say what colour also says. */
  private static void legend(StringBuilder b) {
    b.append("<div id=\"legend\"><h2>legend</h2><ul>");
    String[][] lines = {
      {"waiting_on", "waits on (dashed, open arrow)"},
      {"waiting_on timed", "waits, with a timeout"},
      {"holds", "holds (solid, thick, filled arrow)"},
      {"polls", "uses (dotted)"},
      {"paired_with", "the other end of a channel"},
      {"waiting_on finding", "in the finding (red)"}
    };
    for (String[] l : lines) {
      b.append("<li><svg class=\"swatch\" width=\"46\" height=\"12\" aria-hidden=\"true\">")
          .append("<line x1=\"2\" y1=\"6\" x2=\"44\" y2=\"6\" class=\"edge kind-")
          .append(l[0])
          .append("\"/></svg> ")
          .append(Html.esc(l[1]))
          .append("</li>");
    }
    b.append("<li><span class=\"box task\"></span> a thread or task</li>")
        .append("<li><span class=\"box resource\"></span> a lock, latch, channel…</li>")
        .append("<li><span class=\"box observed\"></span> seen by the JVM, not tracked</li>")
        .append("</ul></div>");
  }

  /** The thread table, and the plain-text copy of the page for a bug report. */
  private static void threads(StringBuilder b, PageStory story) {
    b.append("<section id=\"threads-section\"><h2>threads</h2>")
        .append("<p><button id=\"copy\" type=\"button\">copy as text</button>")
        .append(" <span id=\"copied\" class=\"meta\"></span></p>")
        .append("<textarea id=\"copy-text\" readonly hidden rows=\"14\">")
        .append(Html.esc(story.plainText()))
        .append("</textarea>")
        .append("<table id=\"threads\"><colgroup><col class=\"c-name\"><col class=\"c-state\">")
        .append("<col class=\"c-running\"><col class=\"c-waits\"><col class=\"c-holds\">")
        .append("<col class=\"c-stack\"></colgroup><thead><tr><th>thread</th><th>state</th>")
        .append("<th>running</th><th>waits on</th><th>holds</th><th>stack (own frames)</th>")
        .append("</tr></thead><tbody>\n");
    for (PageStory.ThreadRow r : story.threads) {
      ThreadSnapshot t = r.thread();
      b.append("<tr")
          .append(r.inFinding() ? " class=\"in-finding\"" : "")
          .append("><td>")
          .append(Html.esc(t.name()))
          .append(t.virtual() ? " (virtual)" : "")
          .append("</td><td>")
          .append(t.state())
          .append("</td><td>")
          .append(Html.esc(r.running()))
          .append("</td><td>")
          .append(Html.esc(r.waitsOn()))
          .append("</td><td>")
          .append(Html.esc(String.join("\n", r.holds())))
          .append("</td><td>");
      List<PageStory.Frame> own = PageStory.userFramesOr3(r.frames());
      b.append("<ol class=\"own-frames\">");
      boolean first = true;
      for (PageStory.Frame f : own) {
        b.append("<li class=\"")
            .append(f.user() ? (first ? "user-frame first" : "user-frame") : "jdk-frame")
            .append("\">");
        frame(b, f);
        b.append("</li>");
        first &= !f.user();
      }
      b.append("</ol>");
      if (r.frames().size() > own.size()) {
        b.append("<details class=\"stack\"><summary>full stack, ")
            .append(r.frames().size())
            .append(" frames</summary><ol>");
        for (PageStory.Frame f : r.frames()) {
          b.append("<li").append(f.user() ? " class=\"user-frame\"" : "").append(">");
          frame(b, f);
          b.append("</li>");
        }
        b.append("</ol></details>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</tbody></table></section>\n");
  }

  private static void frame(StringBuilder b, PageStory.Frame f) {
    String text = Html.esc(f.text());
    if (f.link().isPresent()) {
      b.append("<a href=\"")
          .append(Html.esc(f.link().get()))
          .append("\">")
          .append(text)
          .append("</a>");
    } else {
      b.append(text);
    }
  }
}
