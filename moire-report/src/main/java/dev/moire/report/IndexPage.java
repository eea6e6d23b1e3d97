package dev.moire.report;

import dev.moire.model.findings.Finding;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index: every stored snapshot, grouped by the run of the build it came from (a store
 * accumulates across runs). The latest run comes first, open; older runs follow, folded, so that a
 * failure fixed and rerun without {@code clean} is not shown as today's. Within a run, failures
 * first, each with its finding summary.
 */
final class IndexPage {
  private IndexPage() {}

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** One row: a stored snapshot, where its page is, its findings, and its run. */
  record Row(
      String test,
      String reason,
      String message,
      String duration,
      int entities,
      String page,
      List<Finding> findings,
      String run,
      String jvm,
      long jvmStartedAtEpochMillis,
      long takenAtEpochMillis,
      Optional<String> commit) {
    boolean failed() {
      return !reason.equals("passed");
    }
  }

  /** One run of the build: its rows, when it started, its JVMs, its commit. */
  record Run(String id, List<Row> rows) {
    long startedAtEpochMillis() {
      return rows.stream().mapToLong(Row::jvmStartedAtEpochMillis).min().orElse(0);
    }

    long lastAtEpochMillis() {
      return rows.stream().mapToLong(Row::takenAtEpochMillis).max().orElse(0);
    }

    List<String> jvms() {
      return rows.stream().map(Row::jvm).distinct().toList();
    }

    Optional<String> commit() {
      return rows.stream().map(Row::commit).flatMap(Optional::stream).findFirst();
    }

    long failed() {
      return rows.stream().filter(Row::failed).count();
    }
  }

  /** The rows grouped by run, the latest run (by its last snapshot) first. */
  static List<Run> runs(List<Row> rows) {
    Map<String, List<Row>> byRun = new LinkedHashMap<>();
    for (Row r : rows) {
      byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r);
    }
    List<Run> runs = new ArrayList<>();
    byRun.forEach((id, list) -> runs.add(new Run(id, List.copyOf(list))));
    runs.sort(
        Comparator.comparingLong(Run::lastAtEpochMillis)
            .thenComparingLong(Run::startedAtEpochMillis)
            .reversed());
    return runs;
  }

  /** The index of {@code runs}, as {@link #runs} orders them. */
  static String render(String title, List<Run> runs) {
    int snapshots = runs.stream().mapToInt(r -> r.rows().size()).sum();
    StringBuilder b = new StringBuilder();
    Page.head(b, title, false);
    b.append("<header><h1>moire report</h1>\n<p class=\"meta\">")
        .append(Html.esc(title))
        .append(": ")
        .append(runs.size())
        .append(runs.size() == 1 ? " run, " : " runs, ")
        .append(snapshots)
        .append(snapshots == 1 ? " snapshot" : " snapshots")
        .append("</p></header>\n");
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      String heading =
          (i == 0 ? "Latest run" : "Earlier run")
              + ", started "
              + TIME.format(Instant.ofEpochMilli(run.startedAtEpochMillis()))
              + " · "
              + run.jvms().size()
              + (run.jvms().size() == 1 ? " JVM" : " JVMs")
              + run.commit()
                  .map(c -> " · commit " + c.substring(0, Math.min(12, c.length())))
                  .orElse("")
              + " · "
              + run.rows().size()
              + (run.rows().size() == 1 ? " snapshot, " : " snapshots, ")
              + run.failed()
              + " of failing tests";
      // The latest run open; each earlier one folded away.
      String block = i == 0 ? "section" : "details";
      String caption = i == 0 ? "h2" : "summary";
      b.append('<')
          .append(block)
          .append(i == 0 ? " class=\"run latest\"><" : " class=\"run earlier\"><")
          .append(caption)
          .append(" class=\"run-heading\" title=\"")
          .append(Html.esc(run.id() + " · " + String.join(", ", run.jvms())))
          .append("\">")
          .append(Html.esc(heading))
          .append("</")
          .append(caption)
          .append(">\n");
      table(b, run.rows());
      b.append("</").append(block).append(">\n");
    }
    Page.tail(b, false);
    return b.toString();
  }

  private static void table(StringBuilder b, List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing((Row r) -> !r.failed()));
    b.append("<table class=\"tests\"><colgroup><col class=\"c-test\"><col class=\"c-reason\">")
        .append("<col class=\"c-finding\"><col class=\"c-duration\"><col class=\"c-entities\">")
        .append("</colgroup><thead><tr>")
        .append("<th>test</th><th>reason</th><th>finding</th><th>duration</th>")
        .append("<th>entities</th></tr></thead><tbody>\n");
    for (Row r : sorted) {
      // The finding the test is known by, as its page leads with it: the one its failure quotes.
      String summary =
          PageStory.lead(r.message(), r.findings())
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
          .append(r.failed() ? "failed" : "passed")
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
    b.append("</tbody></table>\n");
  }
}
