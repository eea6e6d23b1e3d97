package dev.moire.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.report.cli.Main;
import dev.moire.runtime.store.RunIdentity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
final class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aStore_givesAReport_inTheDirectoryAsked() throws Exception {
    Path db = dir.resolve("moire.db");
    long id = Deadlocks.store(db, "accounts", "audit");
    assertThat(run(db.toString(), "--out", dir.resolve("out").toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "moire-report: 1 snapshot from 1 store; open "
                + dir.resolve("out").resolve("index.html").toAbsolutePath()
                + System.lineSeparator());
    assertThat(dir.resolve("out").resolve("snapshot-" + id + ".html")).exists();
  }

  @Test
  void withoutOut_theReportGoesBesideTheStore() throws Exception {
    Path db = dir.resolve("moire.db");
    Deadlocks.store(db, "a", "b");
    assertThat(run(db.toString())).isZero();
    assertThat(dir.resolve("report").resolve("index.html")).exists();
  }

  @Test
  void severalStores_areMergedIntoOneIndex() throws Exception {
    Path one = dir.resolve("fork-1.db");
    Path two = dir.resolve("fork-2.db");
    Deadlocks.store(one, "left", "right");
    Deadlocks.store(two, "up", "down");
    assertThat(run(one.toString(), two.toString(), "--out", dir.resolve("merged").toString()))
        .isZero();
    assertThat(dir.resolve("merged").resolve("s1-snapshot-1.html")).exists();
    assertThat(dir.resolve("merged").resolve("s2-snapshot-1.html")).exists();
    String index = Files.readString(dir.resolve("merged").resolve("index.html"));
    assertThat(index)
        .contains("2 stores: 1 run, 2 snapshots", "s1-snapshot-1.html", "s2-snapshot-1.html");
  }

  @Test
  void theShardsOfOneCiRun_mergeIntoOneRun_apartFromAnEarlierRun() throws Exception {
    RunIdentity pipeline = RunIdentity.of("ci:GITHUB_RUN_ID=77.1", Optional.empty());
    Path earlier = dir.resolve("earlier.db");
    Deadlocks.store(
        earlier,
        "old-left",
        "old-right",
        RunIdentity.of("ci:GITHUB_RUN_ID=76.1", Optional.empty()));
    Path shard1 = dir.resolve("shard-1.db");
    Path shard2 = dir.resolve("shard-2.db");
    Deadlocks.store(shard1, "left", "right", pipeline);
    Deadlocks.store(shard2, "up", "down", pipeline);
    assertThat(
            run(
                earlier.toString(),
                shard1.toString(),
                shard2.toString(),
                "--out",
                dir.resolve("merged").toString()))
        .isZero();
    String index = Files.readString(dir.resolve("merged").resolve("index.html"));
    assertThat(index).contains("3 stores: 2 runs, 3 snapshots");
    // The latest run holds both shards' snapshots; the earlier one is folded below it.
    String latest = index.substring(index.indexOf("Latest run"), index.indexOf("Earlier run"));
    assertThat(latest)
        .contains("2 snapshots, 2 of failing tests", "lock &#39;left&#39;", "lock &#39;up&#39;")
        .doesNotContain("old-left");
    assertThat(index.substring(index.indexOf("Earlier run"))).contains("lock &#39;old-left&#39;");
  }

  @Test
  void aMissingStore_isAClearError() {
    Path missing = dir.resolve("nowhere.db");
    assertThat(run(missing.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo("moire-report: no store at " + missing.toAbsolutePath() + "\n");
    assertThat(missing).doesNotExist();
  }

  @Test
  void aFileThatIsNotAStore_isAClearError_andIsLeftAlone() throws Exception {
    Path junk = dir.resolve("junk.db");
    byte[] bytes =
        "this is not a database, but it is long enough to look like one?"
            .repeat(20)
            .getBytes(StandardCharsets.UTF_8);
    Files.write(junk, bytes);
    assertThat(run(junk.toString())).isEqualTo(1);
    assertThat(err()).startsWith("moire-report: ").contains(junk.toString());
    assertThat(Files.readAllBytes(junk)).isEqualTo(bytes);
  }

  @Test
  void usageErrors_sayWhatIsWrong_andHowToCallIt() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).startsWith("moire-report: no store given\nusage: java -jar moire-report.jar");
    err.reset();
    assertThat(run("x.db", "--out")).isEqualTo(2);
    assertThat(err()).startsWith("moire-report: --out needs a directory\n");
    err.reset();
    assertThat(run("--colour", "x.db")).isEqualTo(2);
    assertThat(err()).startsWith("moire-report: unknown option --colour\n");
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: ");
  }

  @Test
  void aDirectory_isNotAStore() {
    assertThat(run(dir.toString())).isEqualTo(1);
    assertThat(err()).contains("is a directory; give the store file in it");
  }

  @Test
  void anotherApplicationsDatabase_isRefused_andLeftByteForByte() throws Exception {
    Path other = dir.resolve("shop.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
      s.execute("INSERT INTO customers (name) VALUES ('ada')");
    }
    byte[] before = Files.readAllBytes(other);
    java.util.Set<Path> filesBefore = filesIn(dir);
    assertThat(run(other.toString(), "--out", dir.resolve("out").toString())).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "moire-report: "
                + other.toAbsolutePath()
                + " is an SQLite database but not a moire store (it has none of moire's tables);"
                + " it was left untouched\n");
    assertThat(Files.readAllBytes(other)).isEqualTo(before);
    assertThat(filesIn(dir)).as("no file added beside it").isEqualTo(filesBefore);
  }

  @Test
  void anEmptyFile_isRefused_andLeftEmpty() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.db"));
    assertThat(run(empty.toString())).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "moire-report: "
                + empty.toAbsolutePath()
                + " is an empty file, not a moire store; it was left untouched\n");
    assertThat(Files.size(empty)).isZero();
  }

  @Test
  void aStoreGivenTwice_isReadOnce() throws Exception {
    Path db = dir.resolve("moire.db");
    Deadlocks.store(db, "a", "b");
    assertThat(run(db.toString(), dir.resolve(".").resolve("moire.db").toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("moire-report: 1 snapshot from 1 store;");
  }

  @Test
  void reportFiles_areCreatedAsAnyFileIs_readableAsTheUmaskSays() throws Exception {
    Path db = dir.resolve("moire.db");
    Deadlocks.store(db, "a", "b");
    Path out = dir.resolve("out");
    assertThat(run(db.toString(), "--out", out.toString())).isZero();
    Path plain = Files.writeString(out.resolve("plain.txt"), "x");
    assertThat(Files.getPosixFilePermissions(out.resolve("index.html")))
        .isEqualTo(Files.getPosixFilePermissions(plain));
  }

  private static java.util.Set<Path> filesIn(Path d) throws java.io.IOException {
    try (var s = Files.walk(d)) {
      return s.collect(java.util.stream.Collectors.toSet());
    }
  }
}
