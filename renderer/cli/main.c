#include <stdio.h>
int main(void) { puts("specsite: not yet"); return 0; }
