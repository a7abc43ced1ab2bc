/* Wrong: a missing semicolon. The build fails, so the program never runs:
 * the run is graded error, with the compiler's message in the report. */
#include <stdio.h>

int main(void)
{
	printf("HTTP/1.1 200 OK\n")
	return 0;
}
