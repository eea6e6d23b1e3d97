package dev.moire.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.Source;
import dev.moire.model.findings.Finding;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.RunIdentity;
import dev.moire.runtime.store.StoredSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a page tells before any script runs: the plain-text copy, the links, the history. */
@Timeout(120)
final class PageStoryTest {
  @TempDir Path dir;

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private PageStory story(Optional<String> sourceUrl, Optional<String> commit) throws Exception {
    Path db = Files.createTempFile(dir, "story", ".db");
    Files.delete(db); // a fresh store of its own
    Deadlocks.store(db, "accounts", "audit", RunIdentity.of("story", commit));
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      StoredSnapshot meta = store.snapshots().get(0);
      List<Finding> findings = store.findings(meta.snapshotId());
      return new PageStory(
          meta,
          store.snapshot(meta.snapshotId()),
          store.journal(meta.snapshotId()),
          findings,
          sourceUrl);
    }
  }

  @Test
  void theCopy_namesTheFinding_everyThreadWithWhatItWaitsOnAndHolds_andItsOwnFrames()
      throws Exception {
    PageStory s = story(Optional.empty(), Optional.empty());
    String text = s.plainText();
    assertThat(text)
        .startsWith("moire: BankTest > transfer() (deadlock)\ndeadlock cycle (certain): thread")
        .contains(
            "- 'worker-1' waiting, running thread 'worker-1', waits on lock 'audit'"
                + " (Deadlocks.java:",
            ", holds lock 'accounts'\n    at dev.moire.report.Deadlocks.inversion (Deadlocks.java:",
            "- 'worker-2' waiting, running thread 'worker-2', waits on lock 'accounts'",
            "last moments:\n");
    // The finding's four entities, and its threads marked as in it.
    assertThat(s.focus).hasSize(4);
    assertThat(s.threads).filteredOn(PageStory.ThreadRow::inFinding).hasSize(2);
    // The history says who waited on what, with how long before the snapshot.
    assertThat(s.history).isNotEmpty();
    assertThat(s.history)
        .extracting(PageStory.HistoryLine::text)
        .anyMatch(t -> t.startsWith("thread 'worker-1' waits on lock 'audit' (Deadlocks.java:"));
  }

  @Test
  void aThreadsRow_saysWhereItWasStarted_andWhereWhatItWaitsOnWasNotified() throws Exception {
    Path db = dir.resolve("signals.db");
    Deadlocks.store(db, "accounts", "audit", RunIdentity.of("signals", Optional.empty()));
    Source start = new Source("Mailbox.java", 36, "com.example.Mailbox", "deliver");
    Source notify = new Source("Mailbox.java", 16, "com.example.Mailbox", "deliver");
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      StoredSnapshot meta = store.snapshots().get(0);
      dev.moire.model.Snapshot signalled =
          store
              .snapshot(meta.snapshotId())
              .withThreadsMapped(
                  t ->
                      t.name().equals("worker-1")
                          ? t.withSignals(
                              Optional.of(start),
                              List.of(
                                  new dev.moire.model.OperationSite(
                                      notify, List.of("postman"), false)))
                          : t);
      PageStory s =
          new PageStory(
              meta,
              signalled,
              store.journal(meta.snapshotId()),
              store.findings(meta.snapshotId()),
              Optional.empty());
      PageStory.ThreadRow row =
          s.threads.stream().filter(r -> r.thread().name().equals("worker-1")).findFirst().get();
      assertThat(row.running()).endsWith(", started at Mailbox.java:36");
      assertThat(row.waitsOn()).endsWith(", notified at Mailbox.java:16 by thread 'postman'");
      assertThat(s.plainText())
          .contains("started at Mailbox.java:36")
          .contains("notified at Mailbox.java:16 by thread 'postman'");
    }
  }

  @Test
  void sourceLines_linkToTheConfiguredTemplate_withThePathByPackageAndTheCommit() throws Exception {
    PageStory s =
        story(
            Optional.of("https://example.org/bank/blob/{commit}/src/test/java/{path}#L{line}"),
            Optional.of(SHA));
    Source frame = new Source("Deadlocks.java", 171, "dev.moire.report.Deadlocks$Inner", "run");
    assertThat(s.link(frame))
        .contains(
            "https://example.org/bank/blob/"
                + SHA
                + "/src/test/java/dev/moire/report/"
                + "Deadlocks.java#L171");
    assertThat(s.link(new Source("Unknown", -1, "x.Y", "z"))).isEmpty();
    // Without the commit the template asks for, nothing is linked (a wrong link is worse).
    PageStory noCommit =
        story(Optional.of("https://example.org/{commit}/{path}#L{line}"), Optional.empty());
    assertThat(noCommit.link(frame)).isEmpty();
    // The page carries the links.
    Path db = dir.resolve("linked.db");
    long id = Deadlocks.store(db, "accounts", "audit", RunIdentity.of("linked", Optional.of(SHA)));
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      MoireReport.refresh(
          store,
          dir.resolve("report"),
          Optional.of("https://example.org/bank/blob/{commit}/{path}#L{line}"));
    }
    assertThat(Files.readString(MoireReport.pageOf(dir.resolve("report"), id)))
        .contains(
            "<a href=\"https://example.org/bank/blob/"
                + SHA
                + "/dev/moire/report/Deadlocks.java#L");
  }
}
