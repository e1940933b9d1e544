"""Writes the broken arbitrary-style networks for ArbitraryNetworkProbeTest (each a few hundred bytes).
They pass every check of the model's metadata (names, ranks, the code's fixed length of 128, as the
tiny-arbitrary fixture) and fail only when run, which the probe at session open must see:

    python3 src/test/resources/models/arbitrary-contract/make_arbitrary_contract_models.py

nan.style.onnx     style encoder: input [1,3,H,W] -> style [128], every value NaN
nan.onnx           content network: input, style [128] -> output [1,3,H,W] = input times NaN
half.onnx          content network: output is half the input's size (AveragePool, stride 2)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
L = 128
dyn = [1, 3, "H", "W"]


def save(name, nodes, inits, inputs, outputs):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="pastiche-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


image_in = helper.make_tensor_value_info("input", TensorProto.FLOAT, dyn)
style_in = helper.make_tensor_value_info("style", TensorProto.FLOAT, [L])
image_out = helper.make_tensor_value_info("output", TensorProto.FLOAT, dyn)
nan = numpy_helper.from_array(np.full([L], np.nan, dtype=np.float32), "k")

# style = mean(input) * NaN[128]
save("nan.style", [helper.make_node("ReduceMean", ["input"], ["m"], keepdims=0),
                   helper.make_node("Mul", ["m", "k"], ["style"])],
     [nan], [image_in], [helper.make_tensor_value_info("style", TensorProto.FLOAT, [L])])
# output = input * NaN + sum(style) (the style input is used, as in a real network)
save("nan", [helper.make_node("ReduceSum", ["style"], ["s"], keepdims=0),
             helper.make_node("Mul", ["input", "n"], ["x"]),
             helper.make_node("Add", ["x", "s"], ["output"])],
     [numpy_helper.from_array(np.array([np.nan], dtype=np.float32), "n")], [image_in, style_in], [image_out])
save("half", [helper.make_node("ReduceSum", ["style"], ["s"], keepdims=0),
              helper.make_node("AveragePool", ["input"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
              helper.make_node("Add", ["p", "s"], ["output"])],
     [], [image_in, style_in], [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, "H2", "W2"])])
