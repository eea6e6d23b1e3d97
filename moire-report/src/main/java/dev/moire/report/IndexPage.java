package dev.moire.report;

import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The index of a run: every stored snapshot, failures first, each with its finding summary. */
final class IndexPage {
  private IndexPage() {}

  /** One row: a stored snapshot, where its page is, and its findings. */
  record Row(
      String test,
      String reason,
      String message,
      String duration,
      int entities,
      String page,
      List<Finding> findings) {}

  static String render(String title, List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing((Row r) -> r.reason().equals("passed")));
    long failed = rows.stream().filter(r -> !r.reason().equals("passed")).count();
    StringBuilder b = new StringBuilder();
    Page.head(b, title, false);
    b.append("<header><h1>moire report</h1>\n<p class=\"meta\">")
        .append(Html.esc(title))
        .append(": ")
        .append(rows.size())
        .append(rows.size() == 1 ? " snapshot, " : " snapshots, ")
        .append(failed)
        .append(" of failing tests</p></header>\n<section><table id=\"tests\"><thead><tr>")
        .append("<th>test</th><th>reason</th><th>finding</th><th>duration</th>")
        .append("<th>entities</th></tr></thead><tbody>\n");
    for (Row r : sorted) {
      String summary =
          r.findings().stream()
              .filter(f -> f.certainty() != Certainty.WARNING)
              .findFirst()
              .or(() -> r.findings().stream().findFirst())
              .map(
                  f ->
                      f.kind().wireName()
                          + " ("
                          + f.certainty().wireName()
                          + "): "
                          + f.explanation())
              .orElse(r.message());
      b.append("<tr class=\"")
          .append(r.reason().equals("passed") ? "passed" : "failed")
          .append("\"><td><a href=\"")
          .append(Html.esc(r.page()))
          .append("\">")
          .append(Html.esc(r.test()))
          .append("</a></td><td class=\"reason\">")
          .append(Html.esc(r.reason()))
          .append("</td><td class=\"summary\">")
          .append(Html.esc(summary))
          .append("</td><td>")
          .append(Html.esc(r.duration()))
          .append("</td><td>")
          .append(r.entities())
          .append("</td></tr>\n");
    }
    b.append("</tbody></table></section>\n");
    Page.tail(b, false);
    return b.toString();
  }
}
