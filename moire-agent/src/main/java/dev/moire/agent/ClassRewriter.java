package dev.moire.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites one class file: each allocation of a JDK type in {@link Rewrites#DROP_INS} becomes an
 * allocation of its drop-in, and each call in {@link Rewrites#BRIDGED} a call of its bridge, both
 * named after the allocation site; each call in {@link Rewrites#OPERATIONS} becomes a call of its
 * static bridge with the call's line.
 *
 * <p>Two passes over the class. The first finds the sites, in order, per method, and names each
 * after what receives the new object: a field ({@code ConnectionPool.permits}), a local variable
 * ({@code connections}, from the local variable table, which {@code javac -g} and Maven's default
 * write) or else the line ({@code Ledger.java:42}). It needs the whole method because the local
 * variable table comes after the code. The second pass rewrites the same sites in the same order:
 *
 * <pre>
 *   new Semaphore; dup; iconst_2;                      invokespecial Semaphore.&lt;init&gt;(I)V
 *   new TrackedSemaphore; dup; iconst_2; ldc "connections";
 *     invokestatic AgentBridges.site(String)V;          invokespecial TrackedSemaphore.&lt;init&gt;(I)V
 * </pre>
 *
 * The stack map frames stay valid as they are: the new instruction keeps its place (a frame names
 * an uninitialised object by the place of its {@code new}), the drop-in is assignable wherever the
 * JDK type was, and the inserted instructions are no branch target. Only the maximum stack depth
 * grows by one, which the writer recomputes without loading any class.
 */
final class ClassRewriter {
  /** Separates the parts of a site's string (the runtime's {@code AllocationSites} reads it). */
  static final char SEPARATOR = '\u001f';

  private ClassRewriter() {}

  /**
   * Marks, last in a method's sites, a method that makes drop-ins through constructor references.
   */
  private static final Site CONSTRUCTOR_REFERENCE = new Site(false, "", "", true);

  /** A site found by the first pass. */
  private static final class Site {
    final boolean allocation;
    final String type;
    String name;

    /** {@code ␟file␟line␟class␟method}: where the site is, for its entity's source. */
    String where = "";

    boolean rewrite;
    int slot = -1;
    @Nullable Label start;

    Site(boolean allocation, String type, String name, boolean rewrite) {
      this.allocation = allocation;
      this.type = type;
      this.name = name;
      this.rewrite = rewrite;
    }
  }

  /**
   * Returns the rewritten class, or {@code null} when it has nothing to rewrite (the caller then
   * leaves the class as it was).
   */
  static byte @Nullable [] rewrite(byte[] classFile) {
    ClassReader reader = OpenedClassReader.of(classFile);
    if (!mentionsATarget(reader)) {
      return null;
    }
    Map<String, List<Site>> sites = new HashMap<>();
    Scan scan = new Scan(sites);
    reader.accept(scan, 0);
    if (sites.values().stream().flatMap(List::stream).noneMatch(s -> s.rewrite)) {
      return null;
    }
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(OpenedClassReader.ASM_API, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access,
              String name,
              String descriptor,
              @Nullable String signature,
              String @Nullable [] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            List<Site> mine = sites.get(name + descriptor);
            return mine == null || mine.stream().noneMatch(s -> s.rewrite)
                ? next
                : new Rewrite(next, mine);
          }
        },
        0);
    return writer.toByteArray();
  }

  /**
   * Pairs a constructor call with the {@code new} it initialises: both passes keep a stack of the
   * {@code new}s whose constructor has not run yet (constructor calls nest as their arguments do).
   * Returns the {@code new}'s site, popped, or null for any other call (a {@code super(...)} of a
   * user's subclass among them).
   */
  private static @Nullable Site constructed(
      Deque<Site> news, int opcode, String owner, String name) {
    if (opcode == Opcodes.INVOKESPECIAL
        && name.equals("<init>")
        && !news.isEmpty()
        && news.peek().type.equals(owner)) {
      return news.pop();
    }
    return null;
  }

  /** A {@code new} of a type outside the table: kept on the stack only so that calls pair. */
  private static Site untracked(String type) {
    return new Site(false, type, "", false);
  }

  /** The drop-in constructor a constructor reference's lambda should make instead, if any. */
  static @Nullable Handle dropInConstructor(Handle bootstrap, Object[] arguments) {
    if (bootstrap.getOwner().equals("java/lang/invoke/LambdaMetafactory")
        && arguments.length >= 2
        && arguments[1] instanceof Handle impl
        && impl.getTag() == Opcodes.H_NEWINVOKESPECIAL
        && Rewrites.DROP_INS.containsKey(impl.getOwner())
        && Rewrites.DROP_INS.get(impl.getOwner()).constructors().contains(impl.getDesc())) {
      return new Handle(
          Opcodes.H_NEWINVOKESPECIAL,
          Rewrites.DROP_INS.get(impl.getOwner()).tracked(),
          "<init>",
          impl.getDesc(),
          false);
    }
    return null;
  }

  /** Whether the constant pool names a class of the table: most classes are left at this test. */
  private static boolean mentionsATarget(ClassReader reader) {
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      int tag = offset > 0 ? reader.readByte(offset - 1) : 0;
      if (tag == 7) { // CONSTANT_Class
        String name = reader.readUTF8(offset, buffer);
        if (name != null && Rewrites.mentions(name)) {
          return true;
        }
      } else if (tag == 12) { // CONSTANT_NameAndType: this.notify() names no class of the table
        String name = reader.readUTF8(offset, buffer);
        if (name != null && Rewrites.isAnyOwnerOperation(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first pass: finds and names the sites of each method. */
  private static final class Scan extends ClassVisitor {
    private final Map<String, List<Site>> sites;
    private String file = "";
    private String className = "";

    Scan(Map<String, List<Site>> sites) {
      super(OpenedClassReader.ASM_API);
      this.sites = sites;
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        @Nullable String signature,
        @Nullable String superName,
        String @Nullable [] interfaces) {
      className = name.replace('/', '.');
      String simple = name.substring(name.lastIndexOf('/') + 1);
      int nested = simple.indexOf('$');
      file = (nested < 0 ? simple : simple.substring(0, nested)) + ".java";
    }

    @Override
    public void visitSource(@Nullable String source, @Nullable String debug) {
      if (source != null) {
        file = source;
      }
    }

    @Override
    public MethodVisitor visitMethod(
        int access,
        String name,
        String descriptor,
        @Nullable String signature,
        String @Nullable [] exceptions) {
      List<Site> mine = new ArrayList<>();
      sites.put(name + descriptor, mine);
      return new ScanMethod(mine, file, className, name);
    }
  }

  private static final class ScanMethod extends MethodVisitor {
    private final List<Site> sites;
    private final String file;
    private final String className;
    private final String method;
    private final Deque<Site> news = new ArrayDeque<>();
    private int line = -1;

    private boolean constructorReference;

    /** The site whose new object the next instruction may store (a field or a local). */
    private @Nullable Site awaitingStore;

    /** The site stored into a local whose scope starts at the next label. */
    private @Nullable Site awaitingLabel;

    ScanMethod(List<Site> sites, String file, String className, String method) {
      super(OpenedClassReader.ASM_API);
      this.sites = sites;
      this.file = file;
      this.className = className;
      this.method = method;
    }

    /** A new site here, at the current line. */
    private Site site(boolean allocation, String type, boolean rewrite) {
      Site site = new Site(allocation, type, where(), rewrite);
      char s = SEPARATOR;
      site.where = "" + s + file + s + line + s + className + s + method;
      return site;
    }

    private String where() {
      return line < 0 ? file : file + ":" + line;
    }

    @Override
    public void visitLineNumber(int line, Label start) {
      this.line = line;
    }

    @Override
    public void visitLabel(Label label) {
      if (awaitingLabel != null) {
        awaitingLabel.start = label;
        awaitingLabel = null;
      }
    }

    private void other() {
      awaitingStore = null;
      awaitingLabel = null;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      if (opcode == Opcodes.CHECKCAST && awaitingStore != null) {
        return; // (ThreadPoolExecutor) Executors.newFixedThreadPool(2): the store comes next
      }
      other();
      if (opcode == Opcodes.NEW) {
        Site site = Rewrites.DROP_INS.containsKey(type) ? site(true, type, false) : untracked(type);
        if (site.allocation) {
          sites.add(site);
        }
        news.push(site);
      }
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      other();
      Site constructed = constructed(news, opcode, owner, name);
      if (constructed != null) {
        if (constructed.allocation) {
          constructed.rewrite = Rewrites.DROP_INS.get(owner).constructors().contains(descriptor);
          awaitingStore = constructed;
        }
      } else if (opcode == Opcodes.INVOKESTATIC && Rewrites.isBridged(owner, name, descriptor)) {
        Site site = site(false, owner, true);
        sites.add(site);
        awaitingStore = site;
      } else if (opcode == Opcodes.INVOKEVIRTUAL
              && Rewrites.operation(owner, name, descriptor) != null
          || Rewrites.isSubmit(opcode, owner, name)) {
        sites.add(site(false, owner, true)); // named after nothing: only its line is read
      }
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      Site site = awaitingStore;
      other();
      if (site != null && (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC)) {
        site.name = simpleName(owner) + "." + name;
      }
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      Site site = awaitingStore;
      other();
      if (site != null && opcode == Opcodes.ASTORE) {
        site.slot = varIndex;
        awaitingLabel = site;
      }
    }

    @Override
    public void visitLocalVariable(
        String name,
        String descriptor,
        @Nullable String signature,
        Label start,
        Label end,
        int index) {
      for (Site site : sites) {
        if (site.slot == index && site.start == start && !name.startsWith("this$")) {
          site.name = name;
        }
      }
    }

    @Override
    public void visitInsn(int opcode) {
      other();
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      other();
    }

    @Override
    public void visitInvokeDynamicInsn(
        String name,
        String descriptor,
        Handle bootstrapMethodHandle,
        Object... bootstrapMethodArguments) {
      other();
      if (dropInConstructor(bootstrapMethodHandle, bootstrapMethodArguments) != null) {
        constructorReference = true;
      }
    }

    @Override
    public void visitEnd() {
      if (constructorReference) {
        // Not a counted site (the second pass finds constructor references by themselves): it
        // only marks the method as one to rewrite.
        sites.add(CONSTRUCTOR_REFERENCE);
      }
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      other();
    }

    @Override
    public void visitLdcInsn(Object value) {
      other();
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
      other();
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
      other();
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
      other();
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
      other();
    }

    /** {@code com/acme/Pool$Lease} → {@code Lease}. */
    private static String simpleName(String internalName) {
      String simple = internalName.substring(internalName.lastIndexOf('/') + 1);
      String inner = simple.substring(simple.lastIndexOf('$') + 1);
      return inner.isEmpty() ? simple : inner;
    }
  }

  /** The second pass: rewrites a method's sites in the order the first pass found them. */
  private static final class Rewrite extends MethodVisitor {
    private final List<Site> sites;
    private int next;
    private final Deque<Site> news = new ArrayDeque<>();

    /** The site as the runtime reads it: its name, then where it is. */
    private static String encoded(Site site) {
      return site.name + site.where;
    }

    Rewrite(MethodVisitor next, List<Site> sites) {
      super(OpenedClassReader.ASM_API, next);
      this.sites = sites;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      if (opcode == Opcodes.NEW) {
        Site site = Rewrites.DROP_INS.containsKey(type) ? sites.get(next++) : untracked(type);
        news.push(site);
        if (site.rewrite) {
          super.visitTypeInsn(opcode, Rewrites.DROP_INS.get(type).tracked());
          return;
        }
      }
      super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      Site constructed = constructed(news, opcode, owner, name);
      if (constructed != null) {
        if (constructed.rewrite) {
          super.visitLdcInsn(encoded(constructed));
          super.visitMethodInsn(
              Opcodes.INVOKESTATIC,
              Rewrites.BRIDGES,
              Rewrites.SITE_METHOD,
              Rewrites.SITE_DESCRIPTOR,
              false);
          super.visitMethodInsn(
              opcode, Rewrites.DROP_INS.get(owner).tracked(), name, descriptor, isInterface);
          return;
        }
      } else if (opcode == Opcodes.INVOKESTATIC && Rewrites.isBridged(owner, name, descriptor)) {
        Site site = sites.get(next++);
        super.visitLdcInsn(encoded(site));
        super.visitMethodInsn(
            opcode, Rewrites.BRIDGES, name, Rewrites.bridgeDescriptor(descriptor), false);
        return;
      } else if (Rewrites.isSubmit(opcode, owner, name)) {
        // pool.submit(job): the line is said before the call (the arguments stay where they are)
        // and forgotten after it (the result stays on top)
        super.visitLdcInsn(encoded(sites.get(next++)));
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            Rewrites.BRIDGES,
            Rewrites.SUBMITTING_METHOD,
            Rewrites.SITE_DESCRIPTOR,
            false);
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, Rewrites.BRIDGES, Rewrites.SUBMITTED_METHOD, "()V", false);
        return;
      } else if (opcode == Opcodes.INVOKEVIRTUAL) {
        Rewrites.Operation operation = Rewrites.operation(owner, name, descriptor);
        if (operation != null) {
          // receiver, arguments on the stack; the line goes on top, and the bridge takes all
          super.visitLdcInsn(encoded(sites.get(next++)));
          super.visitMethodInsn(
              Opcodes.INVOKESTATIC, Rewrites.BRIDGES, name, operation.bridgeDescriptor(), false);
          return;
        }
      }
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    /**
     * A constructor reference ({@code ReentrantLock::new}) is a lambda whose implementation is the
     * JDK constructor: it becomes the drop-in's (same descriptor; what the lambda returns is a
     * subtype of what it returned). No site is named: the drop-in names itself after the line that
     * calls the lambda.
     */
    @Override
    public void visitInvokeDynamicInsn(
        String name, String descriptor, Handle bootstrap, Object... arguments) {
      Handle dropIn = dropInConstructor(bootstrap, arguments);
      if (dropIn != null) {
        Object[] rewritten = arguments.clone();
        rewritten[1] = dropIn;
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, rewritten);
        return;
      }
      super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }
  }
}
