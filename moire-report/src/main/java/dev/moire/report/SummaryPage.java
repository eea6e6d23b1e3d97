package dev.moire.report;

import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The report's Markdown summary, {@code summary.md} beside {@code index.html}: one line per failing
 * test — its finding, the sentence moire failed it with, a link to its page — for CI to print or to
 * attach as a job summary ({@code cat target/moire/report/summary.md >> $GITHUB_STEP_SUMMARY}).
 */
final class SummaryPage {
  private SummaryPage() {}

  /** An exception's class name before its message ({@code dev.moire.runtime.Deadl...Error: }). */
  private static final Pattern THROWN = Pattern.compile("^[\\w$.]+(Error|Exception): ");

  static String render(String title, List<IndexPage.Row> rows) {
    List<IndexPage.Row> failed = rows.stream().filter(r -> !r.reason().equals("passed")).toList();
    StringBuilder b = new StringBuilder("# moire: ");
    if (failed.isEmpty()) {
      b.append("no failing test (").append(title).append(")\n");
      return b.toString();
    }
    b.append(failed.size())
        .append(failed.size() == 1 ? " failing test" : " failing tests")
        .append(" (")
        .append(title)
        .append(")\n\n");
    for (IndexPage.Row r : failed) {
      b.append("- **")
          .append(finding(r))
          .append("** `")
          .append(r.test().replace("`", "'"))
          .append("`: ")
          .append(markdown(sentence(r)))
          .append(" ([page](")
          .append(r.page())
          .append("))\n");
    }
    return b.toString();
  }

  /**
   * The finding a failing test is known by: the certain one its failure quotes (a lost sender is
   * also a stall), else its first certain one, else the reason.
   */
  private static String finding(IndexPage.Row r) {
    return PageStory.lead(r.message(), r.findings())
        .filter(f -> f.certainty() == Certainty.CERTAIN)
        .map(Finding::kind)
        .map(k -> k.wireName().replace('_', ' '))
        .orElse(r.reason().toLowerCase(Locale.ROOT));
  }

  /** The first line of the failure, without the exception's class name. */
  private static String sentence(IndexPage.Row r) {
    String first = r.message().lines().findFirst().orElse("").strip();
    first = THROWN.matcher(first).replaceFirst("");
    return first.isEmpty() ? "(no message)" : first;
  }

  /** Text safe in a Markdown list item: no HTML, no emphasis, no links of its own. */
  private static String markdown(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '*', '_', '[', ']', '`', '\\', '|' -> b.append('\\').append(c);
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
