package dev.moire.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.model.EntityBody;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.channel.ChannelFactory;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.OneshotChannel;
import dev.moire.runtime.channel.WatchChannel;
import dev.moire.runtime.sync.TrackedLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MoireStoreTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));

  @TempDir Path dir;

  /** A workload with every kind of channel, a held lock and some traffic. */
  private Snapshot workload() throws Exception {
    ChannelFactory channels = Channels.on(runtime);
    MpscChannel<String> jobs = channels.mpsc("jobs", 4);
    jobs.sender().send("a");
    jobs.sender().send("b");
    jobs.receiver().recv();
    OneshotChannel<String> reply = channels.oneshot("reply");
    WatchChannel<String> config = channels.watch("config", "v1");
    keep.add(config.sender().subscribe()); // reachable: the Cleaner must not close it mid-test
    config.sender().send("v2");
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    lock.lock();
    Snapshot s = runtime.snapshot();
    lock.unlock();
    keep.add(jobs);
    keep.add(reply);
    keep.add(config);
    return s;
  }

  private final List<Object> keep = new ArrayList<>();

  @Test
  void aSnapshot_readBack_equalsTheOneWritten_withItsJournalAndFindings() throws Exception {
    Snapshot s = workload();
    var findings = Findings.analyze(s, FindingSettings.defaults().withTestEnded(true));
    assertThat(findings).isNotEmpty();
    List<dev.moire.model.Change> journal = runtime.journal();
    try (MoireStore store = MoireStore.open(dir.resolve("nested/dir/moire.db"))) {
      long id = store.save("StoreTest.roundTrip()", "failure", s, journal, findings);
      assertThat(store.snapshot(id)).isEqualTo(s);
      assertThat(store.journal(id)).isEqualTo(journal);
      assertThat(store.findings(id)).isEqualTo(findings);
      assertThat(store.snapshots())
          .singleElement()
          .satisfies(
              row -> {
                assertThat(row.test()).isEqualTo("StoreTest.roundTrip()");
                assertThat(row.reason()).isEqualTo("failure");
                assertThat(row.process()).isEqualTo("p1");
                assertThat(row.entityCount()).isEqualTo(s.entities().size());
              });
    }
  }

  @Test
  void seed000sValidationQueries_runVerbatim_withPairedWithForNeeds() throws Exception {
    Snapshot s = workload();
    try (MoireStore store = MoireStore.open(dir.resolve("moire.db"))) {
      long id = store.save("t", "always", s, List.of(), List.of());
      List<List<Object>> rows =
          store.query(
              "SELECT kind, COUNT(*)\n"
                  + "FROM nodes\n"
                  + "WHERE snapshot_id = ?1\n"
                  + "  AND kind IN ('mpsc_tx','mpsc_rx','oneshot_tx','oneshot_rx','watch_tx','watch_rx')\n"
                  + "GROUP BY kind;",
              id);
      assertThat(rows)
          .extracting(r -> r.get(0) + "=" + r.get(1))
          .containsExactlyInAnyOrder(
              "mpsc_rx=1", "mpsc_tx=1", "oneshot_rx=1", "oneshot_tx=1", "watch_rx=2", "watch_tx=1");
      List<List<Object>> pairs =
          store.query(
              "SELECT COUNT(*)\n"
                  + "FROM edges\n"
                  + "WHERE snapshot_id = ?1\n"
                  + "  AND kind = 'paired_with'\n"
                  + "  AND (src_id LIKE 'mpsc:%:tx' AND dst_id LIKE 'mpsc:%:rx'\n"
                  + "       OR src_id LIKE 'oneshot:%:tx' AND dst_id LIKE 'oneshot:%:rx'\n"
                  + "       OR src_id LIKE 'watch:%:tx' AND dst_id LIKE 'watch:%:rx');",
              id);
      assertThat(((Number) pairs.get(0).get(0)).intValue())
          .isEqualTo(3); // the rx#2 has no ':rx' end
      @SuppressWarnings("unchecked")
      Map<String, Object> tx =
          MoireJson.read(
              (String)
                  store
                      .query(
                          "SELECT attrs_json FROM nodes WHERE snapshot_id = ? AND id = 'mpsc:p1:jobs:tx'",
                          id)
                      .get(0)
                      .get(0),
              Map.class);
      assertThat(tx)
          .containsEntry("bounded", true)
          .containsEntry("capacity", 4)
          .containsEntry("queue_len", 1)
          .containsEntry("utilization", 0.25)
          .containsKey("age_ns");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void attrsJson_holdsTheBodyButItsKind_andTheDerivedAttributes_forEveryShape() throws Exception {
    EntityHandle<EntityBody.Future> task =
        runtime.createEntity("say \"hi\" <b>", new EntityBody.Future());
    OneshotChannel<String> reply = Channels.on(runtime).oneshot("reply");
    try (MoireStore store = MoireStore.open(dir.resolve("attrs.db"))) {
      long id = store.save("t", "always", runtime.snapshot(), List.of(), List.of());
      Map<String, Object> future =
          MoireJson.read(
              (String)
                  store
                      .query(
                          "SELECT attrs_json FROM entities WHERE snapshot_id = ? AND id = ?",
                          id,
                          task.id().value())
                      .get(0)
                      .get(0),
              Map.class);
      assertThat(future)
          .containsEntry("name", "say \"hi\" <b>")
          .containsKeys("created_at_ns", "age_ns")
          .doesNotContainKey("kind");
      Map<String, Object> tx =
          MoireJson.read(
              (String)
                  store
                      .query(
                          "SELECT attrs_json FROM entities WHERE snapshot_id = ? AND kind ="
                              + " 'oneshot_tx'",
                          id)
                      .get(0)
                      .get(0),
              Map.class);
      assertThat(tx).containsEntry("sent", false).containsEntry("state", "pending");
    } finally {
      reply.sender().close();
      reply.receiver().close();
      task.close();
    }
  }

  @Test
  void aFileWithANewerSchema_isRefused_andLeftUntouched() throws Exception {
    Path file = dir.resolve("newer.db");
    try (MoireStore store = MoireStore.open(file)) {
      store.save("t", "always", runtime.snapshot(), List.of(), List.of());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 7");
    }
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> MoireStore.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "moire store "
                + file.toAbsolutePath()
                + " has schema version 7, newer than this moire"
                + " understands (2); open it with a newer moire. It was left untouched");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aFileThatIsNotSqlite_isRefused_andLeftUntouched() throws Exception {
    Path file = dir.resolve("notes.db");
    Files.writeString(file, "these are my notes, not a database\n".repeat(100));
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> MoireStore.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "moire store "
                + file.toAbsolutePath()
                + " is not an SQLite database (its first bytes"
                + " are not an SQLite header); it was left untouched");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aTruncatedFile_isRefused_andLeftUntouched() throws Exception {
    Path good = dir.resolve("good.db");
    List<EntityHandle<EntityBody.Latch>> many = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      many.add(runtime.createEntity("latch", new EntityBody.Latch(i)));
    }
    try (MoireStore store = MoireStore.open(good)) {
      store.save("t", "always", runtime.snapshot(), runtime.journal(), List.of());
    }
    // Fold the WAL into the main file, then cut the file in half.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + good);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      s.execute("PRAGMA journal_mode = DELETE");
    }
    byte[] full = Files.readAllBytes(good);
    assertThat(full.length).isGreaterThan(64 * 1024);
    Path cut = dir.resolve("cut.db");
    Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
    byte[] before = Files.readAllBytes(cut);
    assertThatThrownBy(() -> MoireStore.open(cut))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("moire store " + cut.toAbsolutePath())
        .hasMessageContaining("left untouched");
    assertThat(Files.readAllBytes(cut)).isEqualTo(before);

    Path tiny = dir.resolve("tiny.db");
    Files.write(tiny, java.util.Arrays.copyOf(full, 100));
    assertThatThrownBy(() -> MoireStore.open(tiny))
        .hasMessage(
            "moire store "
                + tiny.toAbsolutePath()
                + " is truncated (100 bytes); it was left untouched");
    many.forEach(EntityHandle::close);
    assertThat(new String(before, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
  }
}
