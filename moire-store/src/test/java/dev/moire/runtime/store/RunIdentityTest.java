package dev.moire.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which run of a build a JVM's snapshots belong to, and how stores keep it. */
final class RunIdentityTest {
  @TempDir Path dir;

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void aGivenId_comesFirst_thenTheCisRunId_thenThisJvmsParentOrItself() {
    ProcessHandle self = ProcessHandle.current();
    Map<String, String> github =
        Map.of("GITHUB_RUN_ID", "4242", "GITHUB_RUN_ATTEMPT", "2", "GITHUB_SHA", SHA);
    assertThat(RunIdentity.of("nightly-7", github, self, dir))
        .isEqualTo(new RunIdentity("given:nightly-7", Optional.of(SHA)));
    assertThat(RunIdentity.of(null, Map.of("MOIRE_RUN_ID", " shard-set "), self, dir).id())
        .isEqualTo("given:shard-set");
    assertThat(RunIdentity.of(null, github, self, dir))
        .isEqualTo(new RunIdentity("ci:GITHUB_RUN_ID=4242.2", Optional.of(SHA)));
    assertThat(RunIdentity.of(null, Map.of("CI_PIPELINE_ID", "77"), self, dir).id())
        .isEqualTo("ci:CI_PIPELINE_ID=77");
    // Outside CI: Surefire's fork shares its run with the Maven process that forked it; any
    // other JVM is a run of its own. Either way, the same id twice.
    String id = RunIdentity.of(null, Map.of(), self, dir).id();
    assertThat(id).matches("(maven|jvm):\\d+@\\d+");
    assertThat(RunIdentity.of(null, Map.of(), self, dir).id()).isEqualTo(id);
  }

  @Test
  void theCommit_isReadFromTheCheckoutsHead_neverByRunningGit() throws Exception {
    Path repo = dir.resolve("repo");
    Path git = Files.createDirectories(repo.resolve(".git").resolve("refs").resolve("heads"));
    Path work = Files.createDirectories(repo.resolve("module").resolve("target"));
    Files.writeString(repo.resolve(".git").resolve("HEAD"), "ref: refs/heads/main\n");
    Files.writeString(git.resolve("main"), SHA + "\n");
    assertThat(RunIdentity.gitHead(work)).contains(SHA);
    // A branch kept only in packed-refs.
    Files.delete(git.resolve("main"));
    String other = "fedcba9876543210fedcba9876543210fedcba98";
    Files.writeString(
        repo.resolve(".git").resolve("packed-refs"),
        "# pack-refs with: peeled fully-peeled sorted\n" + other + " refs/heads/main\n");
    assertThat(RunIdentity.gitHead(work)).contains(other);
    // Detached, as CI checks out.
    Files.writeString(repo.resolve(".git").resolve("HEAD"), SHA + "\n");
    assertThat(RunIdentity.gitHead(work)).contains(SHA);
    // No checkout around: no commit, and no error.
    assertThat(RunIdentity.gitHead(Files.createDirectories(dir.resolve("elsewhere")))).isEmpty();
  }

  @Test
  void eachSnapshot_isListedWithItsRun() throws Exception {
    Path db = dir.resolve("moire.db");
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());
    for (String run : List.of("a", "b")) {
      try (MoireStore store = MoireStore.open(db, RunIdentity.of(run, Optional.of(SHA)))) {
        store.save("t", "always", runtime.snapshot(), List.of(), List.of());
      }
    }
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      assertThat(store.snapshots())
          .extracting(StoredSnapshot::run, StoredSnapshot::commit)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", Optional.of(SHA)),
              org.assertj.core.groups.Tuple.tuple("b", Optional.of(SHA)));
    }
  }

  @Test
  void aStoreOfVersionOne_isReadAsItWas_andUpgradedInPlaceWhenMoireWritesToIt() throws Exception {
    Path db = dir.resolve("v1.db");
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());
    try (MoireStore store = MoireStore.open(db, RunIdentity.of("new", Optional.empty()))) {
      store.save("t", "always", runtime.snapshot(), List.of(), List.of());
    }
    // What moire 0.1's schema was: runs without a build or a commit.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE runs1 (run_id INTEGER PRIMARY KEY, process TEXT NOT NULL,"
              + " pid INTEGER NOT NULL, started_at_ms INTEGER NOT NULL,"
              + " UNIQUE (process, pid, started_at_ms))");
      s.execute("INSERT INTO runs1 SELECT run_id, process, pid, started_at_ms FROM runs");
      s.execute("DROP TABLE runs");
      s.execute("ALTER TABLE runs1 RENAME TO runs");
      s.execute("PRAGMA user_version = 1");
    }
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      assertThat(store.snapshots())
          .singleElement()
          .satisfies(s -> assertThat(s.run()).startsWith("jvm-run:"));
    }
    // A later JVM (a runtime of its own) writes to it.
    MoireRuntime later = MoireRuntime.create(RuntimeSettings.defaults());
    try (MoireStore store = MoireStore.open(db, RunIdentity.of("later", Optional.empty()))) {
      store.save("t", "always", later.snapshot(), List.of(), List.of());
      assertThat(store.snapshots())
          .extracting(StoredSnapshot::run)
          .containsExactly("jvm-run:1", "later");
      assertThat(store.query("PRAGMA user_version")).containsExactly(List.of(2));
    }
  }
}
