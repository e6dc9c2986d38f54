package dev.switchboard.livekit.ffi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The dynamic symbol table (.dynsym) of a 64-bit little-endian ELF shared object, read from its bytes,
 * and the one edit the loader needs: turning undefined GLOBAL symbols into WEAK ones.
 *
 * <p>Why: the engine packaged for Node ({@code rtc-node.linux-x64-gnu.node}) imports N-API functions
 * ({@code napi_*}) that only a Node process defines. The file is linked with BIND_NOW, so a plain
 * dlopen fails on the first of them. The functions are only reached through the Node entry points,
 * never through the C ABI the binding uses, so an undefined WEAK binding (resolved to 0 by the
 * dynamic linker) is enough. One byte changes per symbol ({@code st_info}); nothing else moves.
 */
public final class ElfDynamicSymbols {

    private static final int SHT_DYNSYM = 11;
    private static final int SHN_UNDEF = 0;
    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;
    private static final int SYM_SIZE = 24;

    /** One entry of .dynsym. */
    public record Symbol(int index, String name, int binding, int type, boolean undefined, int infoOffset) {
        public boolean isGlobal() {
            return binding == STB_GLOBAL;
        }

        public boolean isWeak() {
            return binding == STB_WEAK;
        }
    }

    private final byte[] image;
    private final List<Symbol> symbols;

    private ElfDynamicSymbols(byte[] image, List<Symbol> symbols) {
        this.image = image;
        this.symbols = symbols;
    }

    /** Parses the image (kept by reference: {@link #weakenUndefined} edits it in place). */
    public static ElfDynamicSymbols parse(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 64 || b.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException("not an ELF file");
        }
        if (image[4] != 2 || image[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file (class " + image[4] + ", data " + image[5] + ")");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));
        if (shoff == 0 || shnum == 0) {
            throw new IllegalArgumentException("ELF file has no section headers");
        }
        for (int i = 0; i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != SHT_DYNSYM) {
                continue;
            }
            long symOff = b.getLong(sh + 0x18);
            long symSize = b.getLong(sh + 0x20);
            int link = b.getInt(sh + 0x28);
            long entSize = b.getLong(sh + 0x38);
            if (entSize != SYM_SIZE) {
                throw new IllegalArgumentException("unexpected .dynsym entry size " + entSize);
            }
            int strSh = Math.toIntExact(shoff + (long) link * shentsize);
            long strOff = b.getLong(strSh + 0x18);
            long strSize = b.getLong(strSh + 0x20);
            List<Symbol> out = new ArrayList<>();
            int count = Math.toIntExact(symSize / SYM_SIZE);
            for (int s = 1; s < count; s++) { // entry 0 is the null symbol
                int e = Math.toIntExact(symOff + (long) s * SYM_SIZE);
                int nameOff = b.getInt(e);
                int info = Byte.toUnsignedInt(image[e + 4]);
                int shndx = Short.toUnsignedInt(b.getShort(e + 6));
                String name = cString(image, Math.toIntExact(strOff + nameOff), Math.toIntExact(strOff + strSize));
                out.add(new Symbol(s, name, info >>> 4, info & 0xf, shndx == SHN_UNDEF, e + 4));
            }
            return new ElfDynamicSymbols(image, List.copyOf(out));
        }
        throw new IllegalArgumentException("ELF file has no .dynsym section");
    }

    public List<Symbol> symbols() {
        return symbols;
    }

    /** Undefined symbols with GLOBAL binding whose name passes the filter: what the dynamic linker must resolve. */
    public List<Symbol> undefinedGlobals(Predicate<String> nameFilter) {
        return symbols.stream().filter(s -> s.undefined() && s.isGlobal() && nameFilter.test(s.name())).toList();
    }

    /**
     * Rewrites the binding of the undefined GLOBAL symbols the filter selects to WEAK, in the image
     * given to {@link #parse}. Returns the symbols changed.
     */
    public List<Symbol> weakenUndefined(Predicate<String> nameFilter) {
        List<Symbol> targets = undefinedGlobals(nameFilter);
        for (Symbol s : targets) {
            image[s.infoOffset()] = (byte) ((STB_WEAK << 4) | s.type());
        }
        return targets;
    }

    private static String cString(byte[] b, int start, int limit) {
        int end = start;
        while (end < limit && b[end] != 0) {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
}
