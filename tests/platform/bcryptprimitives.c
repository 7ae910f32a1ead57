/* Test-only stand-in for Windows' bcryptprimitives.dll under Wine 8, which lacks it: the Rust
 * standard library takes its random numbers from ProcessPrng there (Windows 10 and later have
 * it). This one answers from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Built with mingw-w64 by tests/platform.rs and placed beside zhen.exe; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
