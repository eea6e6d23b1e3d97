package dev.moire.report;

import dev.moire.model.findings.Finding;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoredSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the HTML report of moire stores: {@code index.html} (the stored tests, failures first),
 * one self-contained page per stored snapshot, and {@code summary.md}, one Markdown line per
 * failing test for CI's job summary. The pages load nothing from anywhere, work from {@code
 * file://} and as CI artifacts, and carry a strict Content-Security-Policy.
 *
 * <pre>{@code
 * try (MoireStore store = MoireStore.open(Path.of("target/moire/moire.db"))) {
 *   Path index = MoireReport.refresh(store, Path.of("target/moire/report"));
 * }
 * }</pre>
 */
public final class MoireReport {
  /** The Markdown summary beside the index: one line per failing test, for CI. */
  public static final String SUMMARY = "summary.md";

  private MoireReport() {}

  /** Returns the page of a stored snapshot in a report directory. */
  public static Path pageOf(Path reportDir, long snapshotId) {
    Checks.notNull(reportDir, "report directory");
    return reportDir.resolve(pageName("", snapshotId));
  }

  /**
   * Writes the page of every snapshot of {@code store} that has none yet, then the index; returns
   * the index. Files are written to a temporary file and moved into place, so several JVMs may
   * refresh one directory.
   *
   * @throws UncheckedIOException if the directory cannot be written
   * @throws dev.moire.runtime.store.StoreException if the store cannot be read
   */
  public static Path refresh(MoireStore store, Path reportDir) {
    return refresh(store, reportDir, Optional.empty());
  }

  /**
   * Writes the pages as {@link #refresh(MoireStore, Path)} does, linking each source location to
   * {@code sourceUrl}: a template in which {@code {path}} is the file's path by its package ({@code
   * com/example/Bank.java}), {@code {line}} its line and {@code {commit}} the commit the run built
   * (a location of a run without a known commit is not linked then), such as {@code
   * https://github.com/acme/bank/blob/{commit}/src/test/java/{path}#L{line}}.
   *
   * @throws UncheckedIOException if the directory cannot be written
   * @throws dev.moire.runtime.store.StoreException if the store cannot be read
   */
  public static Path refresh(MoireStore store, Path reportDir, Optional<String> sourceUrl) {
    Checks.notNull(store, "store");
    Checks.notNull(reportDir, "report directory");
    Checks.notNull(sourceUrl, "source URL");
    return write(List.of(store), reportDir, false, sourceUrl);
  }

  /**
   * Writes one report over several stores (CI shards, Surefire forks with their own files): every
   * page anew, and one index over all of them; returns the index.
   *
   * @throws UncheckedIOException if the directory cannot be written
   * @throws dev.moire.runtime.store.StoreException if a store cannot be read
   */
  public static Path merge(List<MoireStore> stores, Path reportDir) {
    return merge(stores, reportDir, Optional.empty());
  }

  /**
   * Writes one report over several stores as {@link #merge(List, Path)} does, linking source
   * locations as {@link #refresh(MoireStore, Path, Optional)} does.
   *
   * @throws UncheckedIOException if the directory cannot be written
   * @throws dev.moire.runtime.store.StoreException if a store cannot be read
   */
  public static Path merge(List<MoireStore> stores, Path reportDir, Optional<String> sourceUrl) {
    Checks.notNull(stores, "stores");
    Checks.notNull(reportDir, "report directory");
    Checks.notNull(sourceUrl, "source URL");
    Checks.argument(!stores.isEmpty(), "at least one store is needed");
    return write(stores, reportDir, true, sourceUrl);
  }

  private static Path write(
      List<MoireStore> stores, Path reportDir, boolean rewrite, Optional<String> sourceUrl) {
    try {
      Files.createDirectories(reportDir);
      List<IndexPage.Row> rows = new ArrayList<>();
      for (int i = 0; i < stores.size(); i++) {
        MoireStore store = stores.get(i);
        String prefix = stores.size() == 1 ? "" : "s" + (i + 1) + "-";
        for (StoredSnapshot s : store.snapshots()) {
          String name = pageName(prefix, s.snapshotId());
          Path page = reportDir.resolve(name);
          List<Finding> findings = store.findings(s.snapshotId()); // for the page and its row
          if (rewrite || !Files.exists(page)) {
            write(
                page,
                SnapshotPage.render(
                    s,
                    store.snapshot(s.snapshotId()),
                    store.journal(s.snapshotId()),
                    findings,
                    "index.html",
                    sourceUrl));
          }
          rows.add(
              new IndexPage.Row(
                  s.test(),
                  s.reason(),
                  s.message(),
                  s.testDuration().map(d -> d.toMillis() + " ms").orElse(""),
                  s.entityCount(),
                  name,
                  findings,
                  s.run(),
                  s.process() + " (pid " + s.pid() + ")",
                  s.jvmStartedAtEpochMillis(),
                  s.takenAtEpochMillis(),
                  s.commit()));
        }
      }
      String title =
          stores.size() == 1
              ? "store " + stores.get(0).file().getFileName()
              : stores.size() + " stores";
      Path index = reportDir.resolve("index.html");
      List<IndexPage.Run> runs = IndexPage.runs(rows);
      write(index, IndexPage.render(title, runs));
      // The summary is of the latest run: what this build found, not what earlier ones did.
      List<IndexPage.Row> latest = runs.isEmpty() ? rows : runs.get(0).rows();
      write(reportDir.resolve(SUMMARY), SummaryPage.render(title, latest));
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the moire report in " + reportDir, e);
    }
  }

  private static String pageName(String prefix, long snapshotId) {
    return prefix + "snapshot-" + snapshotId + ".html";
  }

  /**
   * Writes a page whole or not at all: into a new file beside it, moved over it. The new file is
   * created as any file is (readable as the umask says), not as {@code Files.createTempFile}
   * creates one (owner-only), so a CI artifact server or another user can read the report.
   */
  private static void write(Path target, String html) throws IOException {
    Path tmp =
        target
            .toAbsolutePath()
            .resolveSibling(
                ".moire-"
                    + ProcessHandle.current().pid()
                    + "-"
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                    + ".tmp");
    try {
      Files.writeString(
          tmp,
          html,
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
