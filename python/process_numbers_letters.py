"""The Python side of process-numbers-letters: numbers and letters from two processes."""

import multiprocessing
import time

from steps import STEP, say


def print_numbers():
    for number in range(1, 6):
        say(f"Number: {number}")
        time.sleep(STEP)


def print_letters():
    for letter in "abcde":
        say(f"Letter: {letter}")
        time.sleep(STEP)


if __name__ == "__main__":
    numbers = multiprocessing.Process(target=print_numbers)
    letters = multiprocessing.Process(target=print_letters)
    numbers.start()
    letters.start()
    numbers.join()
    letters.join()
