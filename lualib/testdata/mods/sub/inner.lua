return {name = "inner"}
