package dev.moire.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.store.MoireStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10,000-entity snapshot still gives a usable page. The figures it prints are for people (the
 * benchmarks module measures properly); nothing here asserts a duration.
 */
@Timeout(300)
final class ReportScaleTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("try") // WebDriver.close() waits for chromedriver
  void tenThousandEntities_giveAUsablePage() throws Exception {
    MoireRuntime runtime =
        MoireRuntime.create(RuntimeSettings.defaults().withJournalCapacity(200_000));
    List<Object> keep = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      EntityHandle<EntityBody.Future> task =
          runtime.createEntity("task-" + i, new EntityBody.Future());
      EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> ch =
          runtime.createPair(
              "queue-" + i,
              new EntityBody.MpscTx(3, OptionalInt.of(8), 5, 1, 40),
              new EntityBody.MpscRx(37));
      EntityHandle<EntityBody.Lock> lock =
          runtime.createEntity("lock-" + i, new EntityBody.Lock(EntityBody.LockKind.MUTEX));
      EntityHandle<EntityBody.Latch> latch =
          runtime.createEntity("latch-" + i, new EntityBody.Latch(1));
      task.linkTo(ch.first().id(), EdgeKind.POLLS);
      task.linkTo(lock.id(), EdgeKind.HOLDS);
      task.linkTo(latch.id(), EdgeKind.POLLS);
      if (i % 10 == 0) {
        task.linkTo(ch.second().id(), EdgeKind.WAITING_ON);
      }
      keep.add(task);
      keep.add(ch);
      keep.add(lock);
      keep.add(latch);
    }
    var snapshot = runtime.snapshot();
    assertThat(snapshot.entities()).hasSize(10_000);
    Path db = dir.resolve("big.db");
    long id;
    try (MoireStore store = MoireStore.open(db)) {
      id =
          store.save(
              "ScaleTest > tenThousand()",
              "failure",
              snapshot,
              runtime.journal(),
              Findings.analyze(snapshot, FindingSettings.defaults()));
      long t0 = System.nanoTime();
      MoireReport.refresh(store, dir.resolve("report"));
      System.out.printf(
          "report for 10,000 entities written in %d ms (%d KB)%n",
          (System.nanoTime() - t0) / 1_000_000,
          Files.size(MoireReport.pageOf(dir.resolve("report"), id)) / 1024);
    }
    Assumptions.assumeTrue(
        WebDriver.available(), "SKIPPED: no chromium/chromedriver; .ci/run installs them");
    Files.createDirectories(dir.resolve("profile"));
    try (WebDriver browser = new WebDriver(dir.resolve("profile"))) {
      long t0 = System.nanoTime();
      browser.open(MoireReport.pageOf(dir.resolve("report"), id));
      assertThat(browser.execute("return document.body.getAttribute('data-ready');").asText())
          .isEqualTo("true");
      System.out.printf(
          "page for 10,000 entities loaded and drawn in %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(browser.execute("return document.querySelectorAll('g.node').length;").asInt())
          .isEqualTo(10_000);
      t0 = System.nanoTime();
      browser.execute(
          "const s = document.getElementById('search'); s.value = 'lock-1999';"
              + "s.dispatchEvent(new Event('input'));");
      System.out.printf("a search over it took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(
              browser
                  .execute(
                      "return document.querySelectorAll('g.node:not(.dim):not(.hidden)').length;")
                  .asInt())
          .isEqualTo(1);
      assertThat(browser.consoleLog()).noneMatch(line -> line.startsWith("SEVERE"));
    }
    assertThat(keep).hasSize(8_000);
  }
}
