package dev.moire.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.runtime.agent.AgentBridges;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Optional;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

/** The table against the classes it names: every rewrite it asks for exists, with its types. */
class RewritesTest {
  @Test
  void everyDropIn_extendsItsJdkType_andDeclaresEachConstructor() throws Exception {
    for (Rewrites.DropIn d : Rewrites.DROP_INS.values()) {
      Class<?> jdk = Class.forName(d.jdk().replace('/', '.'));
      Class<?> tracked = Class.forName(d.tracked().replace('/', '.'));
      assertThat(jdk).as(d.tracked()).isAssignableFrom(tracked);
      for (String descriptor : d.constructors()) {
        assertThat(constructor(tracked, descriptor)).as(d.tracked() + descriptor).isPresent();
        assertThat(constructor(jdk, descriptor)).as(d.jdk() + descriptor).isPresent();
      }
    }
  }

  @Test
  void everyBridgedCall_hasABridge_returningWhatTheJdkMethodReturns() throws Exception {
    for (Rewrites.Bridged b : Rewrites.BRIDGED) {
      Method jdk = method(Class.forName(b.owner().replace('/', '.')), b.name(), b.descriptor());
      Method bridge = method(AgentBridges.class, b.name(), b.bridgeDescriptor());
      assertThat(Modifier.isStatic(jdk.getModifiers())).isTrue();
      assertThat(
              Modifier.isPublic(bridge.getModifiers()) && Modifier.isStatic(bridge.getModifiers()))
          .as(b.name() + b.bridgeDescriptor())
          .isTrue();
      assertThat(bridge.getReturnType()).isEqualTo(jdk.getReturnType());
    }
    assertThat(method(AgentBridges.class, Rewrites.SITE_METHOD, Rewrites.SITE_DESCRIPTOR))
        .isNotNull();
  }

  @Test
  void everyBridgedOperation_hasABridge_takingTheReceiverFirst() throws Exception {
    for (Rewrites.Operation o : Rewrites.OPERATIONS) {
      Class<?> owner =
          o.owner() == null ? Object.class : Class.forName(o.owner().replace('/', '.'));
      Method jdk = method(owner, o.name(), o.descriptor());
      Method bridge = method(AgentBridges.class, o.name(), o.bridgeDescriptor());
      assertThat(Modifier.isStatic(jdk.getModifiers())).isFalse();
      assertThat(
              Modifier.isPublic(bridge.getModifiers()) && Modifier.isStatic(bridge.getModifiers()))
          .as(o.name() + o.bridgeDescriptor())
          .isTrue();
      assertThat(bridge.getParameterTypes()[0]).isEqualTo(jdk.getDeclaringClass());
      assertThat(bridge.getReturnType()).isEqualTo(jdk.getReturnType());
    }
  }

  @Test
  void options_parsePackagesAndVerbose_andRejectAnythingElse() {
    AgentOptions o = AgentOptions.parse("packages=com.acme, org.example.;verbose");
    assertThat(o.verbose()).isTrue();
    assertThat(o.includes("com/acme/Pool")).isTrue();
    assertThat(o.includes("org/example/Pool")).isTrue();
    assertThat(o.includes("com/acmeco/Pool")).isFalse();
    assertThat(AgentOptions.parse(null).packages()).isEmpty();
    assertThatThrownBy(() -> AgentOptions.parse("pakages=com.acme"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option 'pakages=com.acme'");
  }

  private static Optional<Constructor<?>> constructor(Class<?> type, String descriptor) {
    return Arrays.stream(type.getConstructors())
        .filter(c -> Type.getConstructorDescriptor(c).equals(descriptor))
        .findFirst();
  }

  private static Method method(Class<?> type, String name, String descriptor) {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getName() + "." + name + descriptor));
  }
}
