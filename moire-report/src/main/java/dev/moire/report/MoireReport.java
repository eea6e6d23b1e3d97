package dev.moire.report;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoredSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes the HTML report of a moire store: {@code index.html} (the run's tests, failures first) and
 * one self-contained page per stored snapshot.
 *
 * <pre>{@code
 * try (MoireStore store = MoireStore.open(Path.of("target/moire/moire.db"))) {
 *   Path index = MoireReport.refresh(store, Path.of("target/moire/report"));
 * }
 * }</pre>
 */
public final class MoireReport {
  private MoireReport() {}

  /** Returns the page of a stored snapshot in a report directory. */
  public static Path pageOf(Path reportDir, long snapshotId) {
    Checks.notNull(reportDir, "report directory");
    return reportDir.resolve("snapshot-" + snapshotId + ".html");
  }

  /**
   * Writes the page of every snapshot of {@code store} that has none yet, then the index; returns
   * the index. Pages are written to a temporary file and moved into place, so several JVMs may
   * refresh one directory.
   *
   * @throws UncheckedIOException if the directory cannot be written
   */
  public static Path refresh(MoireStore store, Path reportDir) {
    Checks.notNull(store, "store");
    Checks.notNull(reportDir, "report directory");
    try {
      Files.createDirectories(reportDir);
      List<StoredSnapshot> all = store.snapshots();
      for (StoredSnapshot s : all) {
        Path page = pageOf(reportDir, s.snapshotId());
        if (!Files.exists(page)) {
          write(page, SnapshotPage.render(store, s));
        }
      }
      Path index = reportDir.resolve("index.html");
      write(index, IndexPage.render(store.file().getFileName().toString(), all, store));
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the moire report in " + reportDir, e);
    }
  }

  static void write(Path target, String html) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".moire-", ".tmp");
    try {
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
