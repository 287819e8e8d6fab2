#!/bin/sh
echo "hello from a script that stayed executable"
