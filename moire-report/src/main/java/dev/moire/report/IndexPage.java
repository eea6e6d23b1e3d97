package dev.moire.report;

import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoredSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The index of a run: every stored snapshot, failures first. */
final class IndexPage {
  private IndexPage() {}

  static String render(String storeName, List<StoredSnapshot> all, MoireStore store) {
    List<StoredSnapshot> sorted = new ArrayList<>(all);
    sorted.sort(
        Comparator.comparing((StoredSnapshot s) -> s.reason().equals("passed"))
            .thenComparing(StoredSnapshot::snapshotId));
    StringBuilder b = new StringBuilder();
    Page.head(b, "moire report: " + storeName);
    b.append("<h1>moire report</h1>\n<p class=\"meta\">store <code>")
        .append(Html.esc(storeName))
        .append("</code>, ")
        .append(all.size())
        .append(all.size() == 1 ? " snapshot" : " snapshots")
        .append("</p>\n<table id=\"tests\"><thead><tr><th>test</th><th>reason</th>")
        .append("<th>finding</th><th>duration</th><th>entities</th></tr></thead><tbody>\n");
    for (StoredSnapshot s : sorted) {
      List<Finding> findings = store.findings(s.snapshotId());
      String summary =
          findings.stream()
              .filter(f -> f.certainty() != Certainty.WARNING)
              .findFirst()
              .or(() -> findings.stream().findFirst())
              .map(f -> f.kind().wireName() + ": " + f.explanation())
              .orElse("");
      b.append("<tr class=\"")
          .append(s.reason().equals("passed") ? "passed" : "failed")
          .append("\"><td><a href=\"")
          .append(
              Html.esc(MoireReport.pageOf(java.nio.file.Path.of(""), s.snapshotId()).toString()))
          .append("\">")
          .append(Html.esc(s.test()))
          .append("</a></td><td class=\"reason\">")
          .append(Html.esc(s.reason()))
          .append("</td><td class=\"summary\">")
          .append(Html.esc(summary))
          .append("</td><td>")
          .append(s.testDuration().map(d -> d.toMillis() + " ms").orElse(""))
          .append("</td><td>")
          .append(s.entityCount())
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    Page.tail(b);
    return b.toString();
  }
}
