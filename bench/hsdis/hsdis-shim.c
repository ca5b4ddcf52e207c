/*
 * A development aid, not part of nnj: lets JDK 17's -XX:+PrintAssembly use Debian's libhsdis0-fcml disassembler,
 * which still exports only the old decode_instructions entry point, by providing the decode_instructions_virtual one
 * that JDK 17 looks for. Built and used by bench/hsdis/jit-asm.sh; see that script.
 */
#include <dlfcn.h>
#include <stdint.h>

typedef void *(*decode_fn)(void *start, void *end, void *event_cb, void *event_stream, void *printf_cb,
                           void *printf_stream, const char *options);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  void *event_cb, void *event_stream, void *printf_cb, void *printf_stream,
                                  const char *options, int newline) {
    static decode_fn decode;
    (void) start_va;
    (void) end_va;
    (void) newline;
    if (decode == 0) {
        void *lib = dlopen(HSDIS_FCML, RTLD_NOW);
        if (lib == 0) {
            return 0;
        }
        decode = (decode_fn) dlsym(lib, "decode_instructions");
        if (decode == 0) {
            return 0;
        }
    }
    /* the JVM hands over the code at its own address, so the old API's in-place decoding prints the right addresses */
    return decode(buffer, buffer + length, event_cb, event_stream, printf_cb, printf_stream, options);
}
