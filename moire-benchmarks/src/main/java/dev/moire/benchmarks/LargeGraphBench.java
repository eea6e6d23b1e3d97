package dev.moire.benchmarks;

import dev.moire.model.Snapshot;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.report.MoireReport;
import dev.moire.runtime.store.MoireStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The big, rare operations: findings over a 1,000,000-edge graph, storing a 100,000-entity snapshot
 * in a fresh SQLite file, and the report page of a 10,000-entity snapshot.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class LargeGraphBench {
  /** The graphs, built once. */
  @State(Scope.Benchmark)
  public static class Big {
    Snapshot millionEdges;
    Snapshot hundredThousandEntities;
    Path dir;
    MoireStore reportStore;

    @Setup(Level.Trial)
    public void build() throws IOException {
      millionEdges = Graphs.groups(240_000);
      hundredThousandEntities = Graphs.groups(25_000);
      dir = Files.createTempDirectory("moire-bench");
      reportStore = MoireStore.open(dir.resolve("report.db"));
      Snapshot tenThousand = Graphs.groups(2_500);
      reportStore.save(
          "Bench > report()",
          "failure",
          tenThousand,
          List.of(),
          Findings.analyze(tenThousand, FindingSettings.defaults()));
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
      reportStore.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** A fresh store file for each store. */
  @State(Scope.Thread)
  public static class FreshStore {
    MoireStore store;
    Path file;

    @Setup(Level.Invocation)
    public void open(Big big) throws IOException {
      file = Files.createTempFile(big.dir, "store-", ".db");
      Files.delete(file);
      store = MoireStore.open(file);
    }

    @TearDown(Level.Invocation)
    public void close() {
      store.close();
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + "-wal"));
        Files.deleteIfExists(Path.of(file + "-shm"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Benchmark
  public Object findings_1MEdges(Big big) {
    return Findings.analyze(big.millionEdges, FindingSettings.defaults());
  }

  @Benchmark
  public long store_100kEntities(Big big, FreshStore fresh) {
    return fresh.store.save(
        "Bench > store()", "failure", big.hundredThousandEntities, List.of(), List.of());
  }

  @Benchmark
  public Path report_10kEntities(Big big) throws IOException {
    Path out = Files.createTempDirectory(big.dir, "report-");
    return MoireReport.refresh(big.reportStore, out);
  }
}
