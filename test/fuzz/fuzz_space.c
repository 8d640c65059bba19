/* fuzz_space.c -- libFuzzer harness: space files (their workloads and technology resolve beside the file). */
#include "fuzz.h"
#include "space.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dse_space s;
    dse_err e = {0, ""};
    if (dse_space_load(&s, fuzz_file(data, size, "yaml"), &e) == DSE_OK) {
        dse_point p;
        uint64_t n = dse_space_npoints(&s);
        for (uint64_t i = 0; i < n && i < 64; i++) {
            dse_space_point(&s, i, &p);
            dse_space_feasible(&s, &p, NULL, 0);
        }
        dse_space_free(&s);
    }
    return 0;
}
