/* SPDX-License-Identifier: MIT */
/*
 * explore_heap.c: the region of explore_heap.h, its allocator, and the replacement of
 * malloc() and its family that sends a world's allocations there.
 *
 * The allocator is as simple as the job allows: a block carries its capacity in the 16
 * bytes before it; capacities are multiples of 16 up to 4 KiB, each with its free list,
 * and multiples of 256 above, on one list taken first fit (a world has a handful: the
 * simulation, its hosts and links, the pools' chunks); everything else comes from the
 * top of the region. Every byte of the region's used part is copied at each restore,
 * so nothing is rounded up further than that. The head (the top and the lists) is the
 * region's first bytes, so a saved region carries its allocator's state with it. A
 * world's few hundred blocks never ask for more.
 */
#define _GNU_SOURCE 1 /* MAP_FIXED_NOREPLACE, RTLD_NEXT, memalign() */

#include "explore_heap.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if UINTPTR_MAX <= 0xFFFFFFFFu
#define XH_NO_HOOK 1 /* a 32-bit build: no room for a 16 GiB region at a fixed address */
#elif defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define XH_NO_HOOK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define XH_NO_HOOK 1
#endif
#endif

#ifndef XH_NO_HOOK
#define XH_BASE ((uintptr_t)0x3e0000000000u) /* far from where Linux maps anything */
#define XH_SIZE ((size_t)1 << 34)            /* 16 GiB reserved, pages touched as used */
#else
#define XH_BASE ((uintptr_t)0)
#define XH_SIZE ((size_t)0)
#endif
#define XH_SMALL 256                         /* classes 16, 32 .. 4096 bytes */

struct xh_head {
    size_t top; /* bytes in use from the region's start, this head included */
    void *small[XH_SMALL + 1];
    void *large; /* freed blocks above 4 KiB, linked through their first word */
};

struct xh_block {
    uint64_t cap; /* bytes the block holds */
    uint64_t pad;
};

/* The process's one region (malloc() has no argument to carry it in). */
static struct {
    struct xh_head *head; /* the region's start; NULL: no region */
    bool on;              /* allocations come from the region */
    uint64_t foreign;     /* xheap_foreign() */
} xh;

static inline bool
owns(const void *p)
{
#ifdef XH_NO_HOOK
    (void)p;
    return false;
#else
    return xh.head != NULL && (uintptr_t)p >= XH_BASE && (uintptr_t)p < XH_BASE + XH_SIZE;
#endif
}

bool
xheap_owns(const void *p)
{
    return owns(p);
}

uint64_t
xheap_foreign(void)
{
    return xh.foreign;
}

size_t
xheap_used(void)
{
    return xh.head ? xh.head->top : 0;
}

static inline size_t
cap_of(const void *p)
{
    return (size_t)((const struct xh_block *)p - 1)->cap;
}

static size_t
cap_for(size_t n)
{
    if (n <= (size_t)XH_SMALL * 16) {
        return n < 16 ? 16 : (n + 15) & ~(size_t)15;
    }
    return (n + 255) & ~(size_t)255;
}

/* A freed large block of at least `cap` bytes, taken off the list, or NULL. */
static void *
large_fit(size_t cap)
{
    for (void **at = &xh.head->large; *at != NULL; at = (void **)*at) {
        void *b = *at;
        if (cap_of(b) >= cap) {
            *at = *(void **)b;
            return b;
        }
    }
    return NULL;
}

/* A block of at least n bytes whose address is a multiple of `align` (a power of two,
 * 16 or more); NULL when the region is spent. */
/* (unused, with the rest of the allocator, in a build without the heap) */
__attribute__((unused)) static void *
xh_alloc(size_t n, size_t align)
{
    if (n > XH_SIZE / 4) {
        return NULL;
    }
    size_t cap = cap_for(n);
    if (align <= 16) {
        if (cap > (size_t)XH_SMALL * 16) {
            void *b = large_fit(cap);
            if (b != NULL) {
                return b;
            }
        } else if (xh.head->small[cap / 16] != NULL) {
            void *b = xh.head->small[cap / 16];
            xh.head->small[cap / 16] = *(void **)b;
            return b;
        }
    }
    uintptr_t at = XH_BASE + xh.head->top + sizeof(struct xh_block);
    at = (at + align - 1) & ~(uintptr_t)(align - 1);
    if (at + cap > XH_BASE + XH_SIZE) {
        return NULL;
    }
    ((struct xh_block *)(at - sizeof(struct xh_block)))->cap = cap;
    xh.head->top = at + cap - XH_BASE;
    return (void *)at;
}

__attribute__((unused)) static void
xh_free(void *p)
{
    size_t cap = cap_of(p);
    void **list = cap > (size_t)XH_SMALL * 16 ? &xh.head->large : &xh.head->small[cap / 16];
    *(void **)p = *list;
    *list = p;
}

bool
xheap_init(void)
{
#ifdef XH_NO_HOOK
    return false;
#else
    if (xh.head != NULL) {
        return true;
    }
    void *m = mmap((void *)XH_BASE, XH_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED) {
        return false;
    }
    if ((uintptr_t)m != XH_BASE) { /* a kernel before 4.17 takes the flag as a hint */
        munmap(m, XH_SIZE);
        return false;
    }
    xh.head = m;
    xheap_reset();
    return true;
#endif
}

void
xheap_enter(void)
{
    xh.on = xh.head != NULL;
}

void
xheap_leave(void)
{
    xh.on = false;
}

void
xheap_reset(void)
{
    memset(xh.head, 0, sizeof *xh.head);
    xh.head->top = (sizeof *xh.head + 15) & ~(size_t)15;
}

void
xheap_save(struct xsnap *s)
{
    size_t n = xh.head->top;
    if (s->cap < n) {
        free(s->buf);
        s->cap = n + n / 4;
        s->buf = malloc(s->cap);
        if (s->buf == NULL) {
            abort();
        }
    }
    memcpy(s->buf, xh.head, n);
    s->len = n;
}

void
xheap_restore(const struct xsnap *s)
{
    memcpy(xh.head, s->buf, s->len);
}

void
xsnap_clear(struct xsnap *s)
{
    free(s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
}

/* --- malloc and its family ------------------------------------------------------------ */

#ifndef XH_NO_HOOK

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

#define XH_API __attribute__((visibility("default")))

static void *
region_or_errno(size_t n, size_t align)
{
    void *p = xh_alloc(n, align);
    if (p == NULL) {
        errno = ENOMEM;
    }
    return p;
}

XH_API void *
malloc(size_t n)
{
    if (__builtin_expect(xh.on, 0)) {
        return region_or_errno(n, 16);
    }
    return __libc_malloc(n);
}

XH_API void
free(void *p)
{
    if (owns(p)) {
        xh_free(p);
        return;
    }
    if (xh.on && p != NULL) {
        xh.foreign++;
    }
    __libc_free(p);
}

XH_API void *
calloc(size_t n, size_t m)
{
    if (__builtin_expect(xh.on, 0)) {
        size_t bytes;
        if (__builtin_mul_overflow(n, m, &bytes)) {
            errno = ENOMEM;
            return NULL;
        }
        void *p = region_or_errno(bytes, 16);
        if (p != NULL) {
            memset(p, 0, bytes); /* the region's blocks are reused, and so is its top */
        }
        return p;
    }
    return __libc_calloc(n, m);
}

XH_API void *
realloc(void *p, size_t n)
{
    if (owns(p)) {
        if (n <= cap_of(p)) {
            return p;
        }
        void *q = xh.on ? region_or_errno(n, 16) : __libc_malloc(n);
        if (q != NULL) {
            memcpy(q, p, cap_of(p));
            xh_free(p);
        }
        return q;
    }
    if (__builtin_expect(xh.on, 0)) {
        if (p == NULL) {
            return region_or_errno(n, 16);
        }
        xh.foreign++;
    }
    return __libc_realloc(p, n);
}

static void *
aligned(size_t align, size_t n)
{
    if (__builtin_expect(xh.on, 0)) {
        return region_or_errno(n, align < 16 ? 16 : align);
    }
    return __libc_memalign(align, n);
}

XH_API void *
memalign(size_t align, size_t n)
{
    return aligned(align, n);
}

XH_API void *
aligned_alloc(size_t align, size_t n)
{
    return aligned(align, n);
}

XH_API int
posix_memalign(void **out, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0) {
        return EINVAL;
    }
    void *p = aligned(align, n);
    if (p == NULL) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

XH_API void *
valloc(size_t n)
{
    return aligned((size_t)sysconf(_SC_PAGESIZE), n);
}

XH_API void *
pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return aligned(page, (n + page - 1) & ~(page - 1));
}

XH_API size_t
malloc_usable_size(void *p)
{
    if (owns(p)) {
        return cap_of(p);
    }
    static size_t (*real)(void *);
    if (real == NULL) {
        real = (size_t(*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
    }
    return p != NULL && real != NULL ? real(p) : 0;
}

#endif
