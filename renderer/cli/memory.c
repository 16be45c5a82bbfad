/* memory.c — how the process asks for memory.
 *
 * A render touches some 17 MB of small allocations; on a virtual
 * machine each first touch of a 4 KiB page is a fault that costs
 * microseconds, and faults were 40% of a render's time. So the heap
 * grows in large steps and is marked for transparent huge pages
 * (MADV_HUGEPAGE: used where the kernel allows it, ignored elsewhere),
 * and big blocks stay on the heap instead of fresh mmaps. Rendering the
 * fuel-specs corpus: 4,500 page faults become about 500 and the time
 * halves (bench/README.md). Nothing here changes what is computed. */
#define _GNU_SOURCE /* sbrk, madvise and MADV_HUGEPAGE */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

#define S_HEAP_STEP (64 << 20) /* bytes the heap grows by at a time */
#define S_HUGE_PAGE (2 << 20)

void ss_cli_tune_memory(void) {
  mallopt(M_MMAP_THRESHOLD, S_HEAP_STEP);
  mallopt(M_TOP_PAD, S_HEAP_STEP);
  mallopt(M_TRIM_THRESHOLD, 4 * S_HEAP_STEP);
  /* Grow the heap now (a block below the mmap threshold comes from it,
   * and the top pad comes with it), mark the lot, and give it back to
   * malloc: no page is touched until used. */
  void *block = malloc(S_HEAP_STEP / 2);
  uintptr_t start = (uintptr_t)block, end = (uintptr_t)sbrk(0);
  start = (start + S_HUGE_PAGE - 1) & ~(uintptr_t)(S_HUGE_PAGE - 1);
  if (block && end > start)
    madvise((void *)start, end - start, MADV_HUGEPAGE);
  free(block);
}
