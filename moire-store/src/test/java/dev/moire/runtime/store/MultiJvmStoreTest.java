package dev.moire.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

final class MultiJvmStoreTest {
  private static final int JVMS = 3;
  private static final int SNAPSHOTS = 20;
  private static final int ENTITIES = 200;

  @Test
  @Timeout(300)
  void severalJvms_writeOneFileAtOnce_withoutLosingARow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("moire.db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < JVMS; i++) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  java,
                  "--enable-native-access=ALL-UNNAMED",
                  "-cp",
                  System.getProperty("java.class.path"),
                  StoreWriterMain.class.getName(),
                  file.toString(),
                  "writer" + i,
                  Integer.toString(SNAPSHOTS),
                  Integer.toString(ENTITIES))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("writer" + i + ".log").toFile());
      children.add(pb.start());
    }
    for (int i = 0; i < JVMS; i++) {
      Process p = children.get(i);
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("writer %d finished", i).isTrue();
      File log = dir.resolve("writer" + i + ".log").toFile();
      assertThat(p.exitValue()).as("writer %d: %s", i, Files.readString(log.toPath())).isZero();
    }
    try (MoireStore store = MoireStore.open(file)) {
      assertThat(count(store, "SELECT COUNT(*) FROM runs")).isEqualTo(JVMS);
      assertThat(count(store, "SELECT COUNT(*) FROM tests")).isEqualTo(JVMS * 3);
      assertThat(count(store, "SELECT COUNT(*) FROM snapshots")).isEqualTo(JVMS * SNAPSHOTS);
      assertThat(count(store, "SELECT COUNT(*) FROM entities WHERE kind = 'latch'"))
          .isEqualTo((long) JVMS * SNAPSHOTS * ENTITIES);
      assertThat(
              count(
                  store,
                  "SELECT COUNT(*) FROM (SELECT snapshot_id FROM entities GROUP BY snapshot_id"
                      + " HAVING COUNT(*) = "
                      + ENTITIES
                      + ")"))
          .isEqualTo(JVMS * SNAPSHOTS);
    }
  }

  private static long count(MoireStore store, String sql) {
    return ((Number) store.query(sql).get(0).get(0)).longValue();
  }
}
