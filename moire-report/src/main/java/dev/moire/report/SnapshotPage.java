package dev.moire.report;

import dev.moire.model.Edge;
import dev.moire.model.Entity;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoredSnapshot;
import java.util.List;

/** The page of one stored snapshot. */
final class SnapshotPage {
  private SnapshotPage() {}

  static String render(MoireStore store, StoredSnapshot meta) {
    Snapshot s = store.snapshot(meta.snapshotId());
    List<Finding> findings = store.findings(meta.snapshotId());
    StringBuilder b = new StringBuilder();
    Page.head(b, meta.test() + " (" + meta.reason() + ")");
    b.append("<p><a href=\"index.html\">all tests</a></p>\n<h1>")
        .append(Html.esc(meta.test()))
        .append("</h1>\n<p class=\"meta\">")
        .append(Html.esc(meta.reason()))
        .append("</p>\n");
    if (!meta.message().isEmpty()) {
      b.append("<pre class=\"message\">").append(Html.esc(meta.message())).append("</pre>\n");
    }
    for (Finding f : findings) {
      b.append("<div class=\"finding ")
          .append(f.certainty().wireName())
          .append("\"><b>")
          .append(Html.esc(f.kind().wireName()))
          .append("</b> (")
          .append(f.certainty().wireName())
          .append("): <span class=\"explanation\">")
          .append(Html.esc(f.explanation()))
          .append("</span></div>\n");
    }
    b.append("<h2>entities</h2><table><tr><th>kind</th><th>name</th><th>source</th></tr>\n");
    for (Entity e : s.entities()) {
      b.append("<tr><td>")
          .append(e.kind().wireName())
          .append("</td><td>")
          .append(Html.esc(e.name()))
          .append("</td><td>")
          .append(Html.esc(e.source().location()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>edges</h2><table><tr><th>from</th><th>kind</th><th>to</th></tr>\n");
    for (Edge e : s.edges()) {
      b.append("<tr><td>")
          .append(Html.esc(e.src().value()))
          .append("</td><td>")
          .append(e.kind().wireName())
          .append("</td><td>")
          .append(Html.esc(e.dst().value()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    Page.tail(b);
    return b.toString();
  }
}
