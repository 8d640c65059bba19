/* fuzz_tech.c -- libFuzzer harness: technology files and the cost model's coefficients. */
#include "cost.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dse_tech *t = NULL;
    dse_cost *c = NULL;
    dse_err e = {0, ""};
    if (dse_tech_load(&t, fuzz_file(data, size, "yaml"), &e) == DSE_OK && dse_cost_new(&c, t, &e) == DSE_OK) {
        dse_point p;
        double a[DSE_NCOMPS];
        dse_point_defaults(&p);
        dse_cost_area(c, &p, a);
        dse_cost_free(c);
    }
    dse_tech_free(t);
    return 0;
}
