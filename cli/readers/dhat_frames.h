/*
 * dhat_frames.h: one frame of a DHAT stack ("0x1091AD: f (a.c:4)",
 * "0x48417B4: malloc (in /usr/lib/.../vgpreload_dhat.so)", "0x...: ???")
 * split into function, file, line and object, and whether it is part of
 * the allocator (malloc, operator new, Rust's alloc::alloc, RawVec growth)
 * rather than the code that asked for memory.
 */
#ifndef CPROF_CLI_DHAT_FRAMES_H
#define CPROF_CLI_DHAT_FRAMES_H

#include <stddef.h>

typedef struct dhat_frame {
    char *name;      /* never NULL: "???" when valgrind knew none */
    char *file;      /* NULL unless "(FILE:LINE)" */
    int line;        /* 0 if unknown */
    char *object;    /* NULL unless "(in OBJECT)" */
    int allocator;   /* 1: a frame of the allocator (dhat_allocator_frame) */
} dhat_frame;

/* Parse one ftbl string (any text: never fails). Free with dhat_frame_free. */
void dhat_frame_parse(dhat_frame *f, const char *text);
void dhat_frame_free(dhat_frame *f);

/*
 * A frame of the allocator: valgrind's own replacements (an object named
 * vgpreload_*: malloc, calloc, realloc, operator new, memcpy in copy mode),
 * the C allocators by name, C++'s operator new, Rust's global allocator
 * (__rust_alloc, __rdl_*) and the whole alloc crate (alloc::alloc, RawVec,
 * Vec::with_capacity, String, Box: helpers that allocate for their caller),
 * by name or, for inlined frames, which valgrind names without their path
 * (alloc, allocate, with_capacity_in<u8, Global>), by the library file.
 */
int dhat_allocator_frame(const char *name, const char *file, const char *object);

#endif
