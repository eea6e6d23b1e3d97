package dev.moire.junit;

import dev.moire.model.Change;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.report.MoireReport;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.SnapshotLabel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The store file and report directory of one test run in this JVM, shared by its tests. It opens
 * the store on the first snapshot, refreshes the report after each one, and at the end of the run
 * (when JUnit closes the root context) refreshes the report once more and prints its path once.
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

  Recorder(Path storeFile, Path reportDir, PrintStream out) {
    this.storeFile = storeFile;
    this.reportDir = reportDir;
    this.out = out;
  }

  Path storeFile() {
    return storeFile;
  }

  synchronized long save(
      SnapshotLabel label, Snapshot snapshot, List<Change> journal, List<Finding> findings) {
    if (store == null) {
      store = MoireStore.open(storeFile);
    }
    long id = store.save(label, snapshot, journal, findings);
    saved++;
    return id;
  }

  /** Returns the report page that will show a stored snapshot. */
  Path pageOf(long snapshotId) {
    return MoireReport.pageOf(reportDir, snapshotId);
  }

  /** Writes the pages of new snapshots and the index; returns the index. */
  synchronized Path refreshReport() {
    MoireStore s = store;
    if (s == null) {
      throw new IllegalStateException("nothing stored yet in " + storeFile);
    }
    return MoireReport.refresh(s, reportDir);
  }

  @Override
  public synchronized void close() {
    MoireStore s = store;
    if (s == null) {
      return;
    }
    try {
      if (saved > 0) {
        Path index = MoireReport.refresh(s, reportDir);
        if (!announced) {
          announced = true;
          out.println(
              "moire: stored "
                  + saved
                  + (saved == 1 ? " snapshot" : " snapshots")
                  + " in "
                  + storeFile.toAbsolutePath()
                  + "; report: "
                  + index.toAbsolutePath());
        }
      }
    } finally {
      store = null;
      s.close();
    }
  }
}
