package dev.moire.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which classes the agent takes in: the application's and its tests', never the rest. */
class AgentTransformerTest {
  @TempDir Path dir;

  private final AgentTransformer plain = new AgentTransformer(AgentOptions.parse(null), null);
  private final AgentTransformer acme =
      new AgentTransformer(AgentOptions.parse("packages=com.acme"), null);

  @Test
  void classesFromAClassDirectory_areTheApplications() throws IOException {
    ProtectionDomain classes =
        domain(Files.createDirectories(dir.resolve("classes")).toUri().toURL());
    assertThat(plain.wanted("com/acme/Pool", classes)).isTrue();
    assertThat(plain.wanted("dev/moire/runtime/contract/Holder", classes))
        .as("moire's own tests, in moire's packages, are someone's tests")
        .isTrue();
  }

  @Test
  void theJdkJUnitAndTheBuildTools_never() throws IOException {
    ProtectionDomain classes =
        domain(Files.createDirectories(dir.resolve("classes")).toUri().toURL());
    for (String name :
        new String[] {
          "java/util/Foo",
          "jdk/internal/Foo",
          "sun/misc/Foo",
          "com/sun/Foo",
          "org/junit/Foo",
          "org/apache/maven/Foo",
          "org/jacoco/Foo",
          "net/bytebuddy/Foo",
          "dev/moire/agent/Foo"
        }) {
      assertThat(plain.wanted(name, classes)).as(name).isFalse();
    }
  }

  @Test
  void classesFromAJar_onlyInTheNamedPackages() throws IOException {
    ProtectionDomain lib = domain(jar("lib.jar", false).toUri().toURL());
    assertThat(plain.wanted("com/acme/Pool", lib)).isFalse();
    assertThat(acme.wanted("com/acme/Pool", lib)).isTrue();
    assertThat(acme.wanted("com/acmeco/Pool", lib)).isFalse();
  }

  @Test
  void moiresLibrary_never_evenShadedWithTheApplication() throws IOException {
    ProtectionDomain library =
        domain(Files.createDirectories(dir.resolve("moire-classes")).toUri().toURL());
    Files.createDirectories(dir.resolve("moire-classes/META-INF"));
    Files.createFile(dir.resolve("moire-classes").resolve(AgentTransformer.LIBRARY_MARKER));
    assertThat(plain.wanted("dev/moire/runtime/sync/TrackedLock", library)).isFalse();
    assertThat(plain.wanted("com/acme/Pool", library)).isFalse();
    ProtectionDomain shaded = domain(jar("app-all.jar", true).toUri().toURL());
    assertThat(acme.wanted("com/acme/Pool", shaded)).as("the named package").isTrue();
    assertThat(acme.wanted("dev/moire/runtime/sync/TrackedLock", shaded)).isFalse();
    AgentTransformer all = new AgentTransformer(AgentOptions.parse("packages=dev.moire"), null);
    assertThat(all.wanted("dev/moire/runtime/sync/TrackedLock", shaded)).isFalse();
  }

  @Test
  void aClassWithoutALocation_isLeftAlone() {
    assertThat(plain.wanted("com/acme/Pool", null)).isFalse();
  }

  private Path jar(String name, boolean withMarker) throws IOException {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("com/acme/Pool.class"));
      out.closeEntry();
      if (withMarker) {
        out.putNextEntry(new JarEntry(AgentTransformer.LIBRARY_MARKER));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static ProtectionDomain domain(URL location) {
    return new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
  }
}
