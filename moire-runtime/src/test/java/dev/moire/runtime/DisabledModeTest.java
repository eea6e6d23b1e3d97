package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EventBody;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // context tokens are entered for their effect, not referenced
final class DisabledModeTest {

  @Test
  void aWorkload_inDisabledMode_producesNoEntitiesAndNoChanges() throws Exception {
    Properties props = new Properties();
    props.setProperty("moire.enabled", "false");
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.fromProperties(props));
    assertThat(runtime.isEnabled()).isFalse();
    try (ScopeHandle scope = runtime.openScope("t", ScopeKind.TEST);
        ContextToken entered = runtime.enterScope(scope)) {
      EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> pair =
          runtime.createPair(
              "jobs", EntityBody.MpscTx.open(OptionalInt.of(4)), new EntityBody.MpscRx(0));
      try (EntityHandle<EntityBody.Future> task =
              runtime.createEntity("job", new EntityBody.Future());
          ContextToken inTask = runtime.enterTask(task)) {
        assertThat(runtime.currentTask()).isEmpty();
        EntityHandle<EntityBody.MpscTx> tx2 = pair.first().clone();
        tx2.mutate(b -> new EntityBody.MpscTx(1, b.capacity(), 1, 2, 1));
        pair.second().downgrade().mutate(b -> new EntityBody.MpscRx(1));
        pair.second().linkTo(task.id(), EdgeKind.POLLS);
        pair.second().linkFromOwned(task.id(), EdgeKind.WAITING_ON, true, Optional.empty()).close();
        pair.second()
            .recordEvent(new EventBody.ChannelReceived(java.util.OptionalLong.empty(), false));
        tx2.close();
      }
      Thread t = new Thread(() -> runtime.createEntity("x", new EntityBody.Latch(1)));
      t.start();
      t.join();
      pair.first().close();
      pair.second().close();
    }
    Snapshot s = runtime.snapshot();
    assertThat(s.entities()).isEmpty();
    assertThat(s.scopes()).isEmpty();
    assertThat(s.edges()).isEmpty();
    assertThat(s.events()).isEmpty();
    assertThat(s.threads()).isEmpty();
    assertThat(runtime.journal()).isEmpty();
    assertThat(runtime.lastSeq()).isZero();
  }

  @Test
  void disabledHandles_keepTheirLifecycleRules() {
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults().withEnabled(false));
    EntityHandle<EntityBody.Latch> h = runtime.createEntity("l", new EntityBody.Latch(1));
    h.close();
    assertThatThrownBy(h::close).hasMessageEndingWith("is already closed");
  }

  @Test
  void badPropertyValues_nameThePropertyAndTheValue() {
    Properties props = new Properties();
    props.setProperty("moire.enabled", "yes");
    assertThatThrownBy(() -> RuntimeSettings.fromProperties(props))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("system property moire.enabled must be 'true' or 'false': 'yes'");
    Properties props2 = new Properties();
    props2.setProperty("moire.journal.capacity", "lots");
    assertThatThrownBy(() -> RuntimeSettings.fromProperties(props2))
        .hasMessage("system property moire.journal.capacity must be a whole number: 'lots'");
  }
}
