/* fuzz_npy.c -- libFuzzer harness: .npy masks (weights and activations). */
#include "fuzz.h"
#include "mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "npy");
    for (int w = 0; w < 2; w++) {
        dse_mask m;
        dse_err e = {0, ""};
        if (dse_mask_load_npy(&m, path, w, &e) == DSE_OK) dse_mask_free(&m);
    }
    return 0;
}
