package dev.moire.junit;

import dev.moire.model.Change;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.report.MoireReport;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.SnapshotLabel;
import dev.moire.runtime.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The store file and report directory of one test run in this JVM, shared by its tests. It opens
 * the store on the first snapshot, refreshes the report after each one, and at the end of the run
 * (when JUnit closes the root context) refreshes the report once more and prints its path once.
 *
 * <p>Problems are said once per run and never fail a test on their own: a store that cannot be used
 * (another application's database, an empty file) is not tried again for every later test; a
 * damaged moire store is moved aside and a new one started, so the next runs are not each burdened
 * by it; a report directory that cannot be written leaves the snapshots stored and no page named
 * that does not exist.
 *
 * <p>Invariants: every method is synchronized on this object; the store is opened at most once.
 */
final class Recorder implements AutoCloseable {
  private final Path storeFile;
  private final Path reportDir;
  private final PrintStream out;
  private @Nullable MoireStore store;
  private int saved;
  private boolean announced;

  /** Why the store cannot be used this run, once known: later saves fail at once with it. */
  private @Nullable String storeProblem;

  /** Why the report cannot be written this run, once known. */
  private @Nullable String reportProblem;

  private boolean reportChecked;

  /** The template that links source lines in the report ({@code moire.report.source-url}). */
  private final Optional<String> sourceUrl;

  Recorder(Path storeFile, Path reportDir, Optional<String> sourceUrl, PrintStream out) {
    this.storeFile = storeFile;
    this.reportDir = reportDir;
    this.sourceUrl = sourceUrl;
    this.out = out;
  }

  Path storeFile() {
    return storeFile;
  }

  /**
   * Stores a snapshot and returns its id.
   *
   * @throws StoreException if the store cannot be used this run (said once, on the first failure)
   */
  synchronized long save(
      SnapshotLabel label, Snapshot snapshot, List<Change> journal, List<Finding> findings) {
    if (storeProblem != null) {
      throw new StoreException(storeProblem);
    }
    if (store == null) {
      store = openOrStartAgain();
    }
    long id = store.save(label, snapshot, journal, findings);
    saved++;
    return id;
  }

  private MoireStore openOrStartAgain() {
    try {
      return MoireStore.open(storeFile);
    } catch (StoreException e) {
      if (!e.damaged()) {
        storeProblem = e.getMessage() + "; no snapshot is stored this run";
        out.println("moire: " + storeProblem);
        throw e;
      }
      Path aside =
          storeFile.resolveSibling(
              storeFile.getFileName()
                  + ".damaged-"
                  + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      try {
        Files.move(storeFile, aside);
        for (String sidecar : List.of("-wal", "-shm")) {
          Path s = storeFile.resolveSibling(storeFile.getFileName() + sidecar);
          Files.deleteIfExists(s); // belonged to the damaged file, and would confuse the new one
        }
      } catch (IOException io) {
        storeProblem =
            e.getMessage()
                + "; moire could not move it aside ("
                + io
                + "): delete it to start a new store";
        out.println("moire: " + storeProblem);
        throw new StoreException(storeProblem, io);
      }
      Throwable why = e.getCause() != null ? e.getCause() : e;
      out.println(
          "moire: moire store "
              + storeFile.toAbsolutePath()
              + " is damaged or truncated ("
              + why.getMessage()
              + "); it was moved aside to "
              + aside.toAbsolutePath()
              + ", and a new store started");
      return MoireStore.open(storeFile);
    }
  }

  /**
   * Returns the report page that will show a stored snapshot, or empty when the report cannot be
   * written this run (said once).
   */
  synchronized Optional<Path> pageOf(long snapshotId) {
    return reportWritable()
        ? Optional.of(MoireReport.pageOf(reportDir, snapshotId))
        : Optional.empty();
  }

  private boolean reportWritable() {
    if (!reportChecked) {
      reportChecked = true;
      try {
        Files.createDirectories(reportDir);
        if (!Files.isWritable(reportDir)) {
          throw new IOException("not writable");
        }
      } catch (IOException | RuntimeException e) {
        reportProblem =
            "cannot write the report in "
                + reportDir.toAbsolutePath()
                + " ("
                + e
                + "): set moire.report.dir to a writable directory; snapshots are still stored in "
                + storeFile.toAbsolutePath();
        out.println("moire: " + reportProblem);
      }
    }
    return reportProblem == null;
  }

  /** Writes the pages of new snapshots and the index; returns the index, if it can be written. */
  synchronized Optional<Path> refreshReport() {
    MoireStore s = store;
    if (s == null) {
      throw new IllegalStateException("nothing stored yet in " + storeFile);
    }
    return reportWritable()
        ? Optional.of(MoireReport.refresh(s, reportDir, sourceUrl))
        : Optional.empty();
  }

  /** Writes the report a last time and says where it is; never throws (no phantom failure). */
  @Override
  public synchronized void close() {
    MoireStore s = store;
    if (s == null) {
      return;
    }
    try {
      if (saved > 0 && !announced) {
        announced = true;
        String where = " in " + storeFile.toAbsolutePath();
        String snapshots = saved + (saved == 1 ? " snapshot" : " snapshots");
        if (reportWritable()) {
          try {
            Path index = MoireReport.refresh(s, reportDir, sourceUrl);
            out.println(
                "moire: stored " + snapshots + where + "; report: " + index.toAbsolutePath());
          } catch (RuntimeException e) {
            out.println(
                "moire: stored "
                    + snapshots
                    + where
                    + "; the report could not be written in "
                    + reportDir.toAbsolutePath()
                    + ": "
                    + e.getMessage());
          }
        } else {
          out.println(
              "moire: stored "
                  + snapshots
                  + where
                  + "; no report: "
                  + reportDir.toAbsolutePath()
                  + " cannot be written");
        }
      }
    } finally {
      store = null;
      s.close();
    }
  }
}
