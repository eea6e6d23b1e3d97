package dev.moire.report;

import dev.moire.model.Change;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Finding;
import dev.moire.runtime.store.MoireJson;
import dev.moire.runtime.store.StoredSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page of one stored snapshot: the failure, the findings (also readable without script), the
 * laid-out graph with an inspector, filters and a timeline over the stored journal, the events and
 * the thread table. Every name goes into the page as text: escaped in the markup, and as JSON in a
 * non-executable data block that the script reads and writes only through {@code textContent}.
 */
final class SnapshotPage {
  private SnapshotPage() {}

  static String frames(ThreadSnapshot t) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(4, t.topFrames().size()); i++) {
      dev.moire.model.Source f = t.topFrames().get(i);
      b.append(i == 0 ? "" : "\n").append(f.className()).append('.').append(f.method());
      b.append(" (").append(f.location()).append(')');
    }
    return b.toString();
  }

  /**
   * What each thread holds, by the entity it runs: each lock or semaphore it holds, with the line
   * where it took it ({@code monitor Account@1b6d3586 since Bank.java:40}), one per line. One pass
   * over the snapshot's {@code holds} edges, for the whole thread table.
   */
  static Map<EntityId, String> holdsByThread(Snapshot s) {
    Map<EntityId, StringBuilder> out = new HashMap<>();
    for (Edge e : s.edgesOfKind(EdgeKind.HOLDS)) {
      Optional<Entity> r = s.entity(e.dst());
      if (r.isEmpty()
          || !(r.get().body() instanceof EntityBody.Lock
              || r.get().body() instanceof EntityBody.Semaphore)) {
        continue;
      }
      StringBuilder b = out.computeIfAbsent(e.src(), k -> new StringBuilder());
      b.append(b.length() == 0 ? "" : "\n").append(r.get().name());
      e.source().ifPresent(where -> b.append(" since ").append(where.location()));
    }
    Map<EntityId, String> strings = new HashMap<>();
    out.forEach((k, v) -> strings.put(k, v.toString()));
    return strings;
  }

  /** What the thread holds, from {@link #holdsByThread}. */
  static String holds(Map<EntityId, String> holds, ThreadSnapshot t) {
    return t.entity().map(e -> holds.getOrDefault(e, "")).orElse("");
  }

  static String render(
      StoredSnapshot meta, Snapshot s, List<Change> journal, List<Finding> findings, String index) {
    Map<String, Object> data = ReportData.build(meta, s, journal, findings);
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
    if (!meta.message().isEmpty()) {
      b.append("<pre class=\"message\" id=\"message\">")
          .append(Html.esc(meta.message()))
          .append("</pre>\n");
    }
    b.append("</header>\n<section id=\"findings\">\n");
    if (findings.isEmpty()) {
      b.append("<p class=\"meta\">no findings</p>\n");
    }
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      b.append("<div class=\"finding ")
          .append(f.certainty().wireName())
          .append("\" data-index=\"")
          .append(i)
          .append("\"><span class=\"kind\">")
          .append(Html.esc(f.kind().wireName().replace('_', ' ')))
          .append("</span> (")
          .append(f.certainty().wireName())
          .append("): <span class=\"explanation\">")
          .append(Html.esc(f.explanation()))
          .append("</span></div>\n");
    }
    b.append("</section>\n<div id=\"toolbar\">")
        .append("<label>search <input id=\"search\" type=\"search\" placeholder=\"name or id\">")
        .append("</label><label>scope <select id=\"scope\"><option value=\"\">all</option>")
        .append("</select></label><span id=\"kinds\"></span>")
        .append("<label>timeline <input id=\"timeline\" type=\"range\" step=\"1\"></label>")
        .append("<span id=\"time-label\"></span></div>\n")
        .append("<div id=\"main\"><div id=\"graph-wrap\"><svg id=\"graph\" role=\"img\"")
        .append(" aria-label=\"wait-for graph\"></svg></div>")
        .append("<aside id=\"inspector\"><p class=\"meta\">Click an entity to inspect it.</p>")
        .append("</aside></div>\n")
        .append("<p class=\"legend meta\"><span>orange: waits on (dashed: timed)</span>")
        .append("<span>blue: holds</span><span>grey: polls</span><span>green: paired with</span>")
        .append("<span>red: a finding</span></p>\n")
        .append("<section><h2>events</h2><ol id=\"events\"></ol></section>\n")
        .append("<section><h2>threads</h2><table id=\"threads\"><tr><th>thread</th><th>state</th>")
        .append("<th>running</th><th>blocked on</th><th>holds</th><th>top frames</th></tr>\n");
    // The thread rows of the data block, in the snapshot's order: what each holds, computed once.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) data.get("threads");
    int row = 0;
    for (ThreadSnapshot t : s.threads()) {
      Object holds = rows.get(row++).get("holds");
      b.append("<tr><td>")
          .append(Html.esc(t.name()))
          .append(t.virtual() ? " (virtual)" : "")
          .append("</td><td>")
          .append(t.state())
          .append("</td><td>")
          .append(Html.esc(t.entity().map(e -> e.value()).orElse("")))
          .append("</td><td>")
          .append(Html.esc(t.blocker().orElse("")))
          .append("</td><td>")
          .append(Html.esc(String.valueOf(holds)))
          .append("</td><td>")
          .append(Html.esc(frames(t)))
          .append("</td></tr>\n");
    }
    b.append("</table></section>\n<noscript><p>The graph, inspector and timeline need")
        .append(" JavaScript; the findings above do not.</p></noscript>\n")
        .append("<script type=\"application/json\" id=\"moire-data\">")
        .append(Html.scriptSafeJson(MoireJson.write(data)))
        .append("</script>\n");
    Page.tail(b, true);
    return b.toString();
  }
}
